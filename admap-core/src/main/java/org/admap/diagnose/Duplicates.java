package org.admap.diagnose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.admap.internal.text.TextKeys;

/**
 * Defects found in the texts, not the scores: responses of one instruction that are the same
 * text (whitespace aside), and instructions that repeat an earlier one across the dataset,
 * exactly or after normalising case, whitespace and punctuation (a frequent defect of merged
 * preference datasets).
 *
 * <p>For preference pairs (two responses) a repeat means the same prompt with the same two
 * responses: pairwise datasets legitimately hold several pairs per prompt. For every other
 * item the prompt (with its alpaca-style input) alone decides.
 *
 * <p>Build with {@link Finder}: it keeps a 64-bit hash per instruction, never its text.
 */
public final class Duplicates {

    /** How a repeated instruction matches the earlier one. */
    public enum Kind {
        /** The same text. */
        EXACT("exact"),
        /** The same text after NFKC, lower case, punctuation and symbols dropped, whitespace collapsed. */
        NORMALISED("normalised");

        private final String cliName;

        Kind(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }
    }

    /**
     * The earlier instruction that one repeats.
     *
     * @param key  its key
     * @param id   its id
     * @param kind how they match
     */
    public record Instruction(int key, String id, Kind kind) {
    }

    /**
     * What was found for one instruction.
     *
     * @param id                 its id
     * @param responses          its number of responses
     * @param duplicateResponses responses that repeat an earlier response of it
     * @param duplicateOf        the instruction it repeats, or null
     */
    public record Found(String id, int responses, int duplicateResponses, Instruction duplicateOf) {
    }

    private static final Duplicates NONE = new Duplicates(new TreeMap<>(), 0);

    private final TreeMap<Integer, Found> found;
    private final long groups;

    private Duplicates(TreeMap<Integer, Found> found, long groups) {
        this.found = found;
        this.groups = groups;
    }

    /** No findings (texts not examined). */
    public static Duplicates none() {
        return NONE;
    }

    /** The finding of an instruction, or null when it has none. */
    public Found get(int key) {
        return found.get(key);
    }

    /** Every finding, by key. */
    public Map<Integer, Found> all() {
        return Collections.unmodifiableMap(found);
    }

    /** Instructions with repeated responses. */
    public long withDuplicateResponses() {
        return found.values().stream().filter(f -> f.duplicateResponses() > 0).count();
    }

    /** Instructions that repeat an earlier one. */
    public long repeats() {
        return found.values().stream().filter(f -> f.duplicateOf() != null).count();
    }

    /** Repeats that match only after normalisation. */
    public long normalisedRepeats() {
        return found.values().stream().filter(f -> f.duplicateOf() != null
                && f.duplicateOf().kind() == Kind.NORMALISED).count();
    }

    /** Groups of repeated instructions: distinct first occurrences that are repeated at least once. */
    public long groups() {
        return groups;
    }

    // ---- normalisation ---------------------------------------------------------------

    /** A response's text with whitespace runs collapsed to one space and the ends stripped. */
    static String whitespace(String text) {
        return TextKeys.whitespace(text);
    }

    /** An instruction's text normalised: NFKC, lower case, punctuation and symbols as spaces, whitespace collapsed. */
    static String normalise(String text) {
        return TextKeys.normalise(text);
    }

    // ---- the finder ------------------------------------------------------------------

    /** Examines instructions one at a time, in key order. */
    public static final class Finder {

        private LongIntMap exact = new LongIntMap();
        private LongIntMap normalised = new LongIntMap();
        private String[] ids = new String[1024];
        /** Where the ids are looked up when they are not kept ({@link #Finder(IntFunction)}); else null. */
        private final IntFunction<String> idOf;
        private final Set<Integer> repeatedFirsts = new HashSet<>();
        private final TreeMap<Integer, Found> found = new TreeMap<>();

        public Finder() {
            this.idOf = null;
        }

        /**
         * A finder that looks an instruction's id up in {@code idOf} (by key) only when it has a
         * finding, instead of keeping every id it is given: a run's columns hold the ids, and a
         * million of them kept as strings cost a large part of the heap.
         */
        public Finder(IntFunction<String> idOf) {
            this.idOf = Objects.requireNonNull(idOf, "idOf");
        }

        /**
         * Examines one instruction.
         *
         * @param prompt    its full prompt (with the alpaca-style input)
         * @param responses its responses' texts in order
         */
        public void accept(int key, String id, String prompt, List<String> responses) {
            List<String> spaced = new ArrayList<>(responses.size());
            Set<String> distinct = new HashSet<>();
            for (String r : responses) {
                String w = whitespace(r);
                spaced.add(w);
                distinct.add(w);
            }
            int repeatedResponses = responses.size() - distinct.size();

            String exactKey = prompt;
            String normalisedKey = normalise(prompt);
            if (responses.size() == 2) { // a preference pair: the same comparison, not just the same prompt
                exactKey += pairSuffix(responses);
                normalisedKey += pairSuffix(spaced);
            }
            accept(key, id, responses.size(), repeatedResponses, hash(exactKey), hash(normalisedKey));
        }

        /**
         * Examines one instruction by its keys alone, as {@link #accept(int, String, String, List)}
         * computes them: for the fast diagnosis, which has them from the scan.
         *
         * @param id                 its id; may be null with a finder that looks ids up
         * @param responses          its number of responses
         * @param repeatedResponses  how many of them repeat an earlier one (whitespace aside)
         * @param exactHash          the hash of the exact key ({@link #instructionKeys})
         * @param normalisedHash     that of the normalised key
         */
        public void accept(int key, String id, int responses, int repeatedResponses, long exactHash,
                           long normalisedHash) {
            if (idOf == null) {
                if (key >= ids.length) {
                    ids = Arrays.copyOf(ids, Math.max(key + 1, ids.length * 2));
                }
                ids[key] = id;
            }
            Instruction of = null;
            // one probe per table: the first with a key keeps it
            int earlier = exact.getOrPut(exactHash, key);
            if (earlier >= 0) {
                of = new Instruction(earlier, id(earlier), Kind.EXACT);
            } else {
                earlier = normalised.getOrPut(normalisedHash, key);
                if (earlier >= 0) {
                    of = new Instruction(earlier, id(earlier), Kind.NORMALISED);
                }
            }
            if (of != null) {
                repeatedFirsts.add(root(of.key()));
            }
            if (repeatedResponses > 0 || of != null) {
                found.put(key, new Found(id == null ? id(key) : id, responses, repeatedResponses, of));
            }
        }

        /**
         * Sizes the key tables for {@code instructions} to come, before the first is examined: a
         * million grown from a thousand were rehashed ten times over.
         */
        public void expect(int instructions) {
            if (exact.size == 0 && normalised.size == 0) {
                exact = new LongIntMap(instructions);
                normalised = new LongIntMap(instructions);
            }
        }

        private String id(int key) {
            return idOf == null ? ids[key] : idOf.apply(key);
        }

        /** The first instruction of the group a key belongs to (a repeat may repeat a repeat). */
        private int root(int key) {
            Found f = found.get(key);
            while (f != null && f.duplicateOf() != null) {
                key = f.duplicateOf().key();
                f = found.get(key);
            }
            return key;
        }

        /** The findings. */
        public Duplicates finish() {
            return new Duplicates(found, repeatedFirsts.size());
        }

        /**
         * The exact and normalised keys of an instruction as hashes: its full prompt, and for a
         * pair (two responses) its two responses' texts too (as they are, and whitespace aside).
         */
        public static long[] instructionKeys(String prompt, List<String> responses) {
            String exactKey = prompt;
            String normalisedKey = normalise(prompt);
            if (responses.size() == 2) {
                exactKey += pairSuffix(responses);
                normalisedKey += pairSuffix(List.of(whitespace(responses.get(0)), whitespace(responses.get(1))));
            }
            return new long[] {hash(exactKey), hash(normalisedKey)};
        }

        private static String pairSuffix(List<String> texts) {
            String[] sorted = texts.toArray(String[]::new);
            Arrays.sort(sorted);
            return "\u0000" + sorted[0] + "\u0000" + sorted[1];
        }

        private static long hash(String text) {
            return TextKeys.hash64(text);
        }
    }

    /**
     * A long-to-int map by open addressing: two arrays instead of a boxed entry per
     * instruction, so a million instructions cost tens of megabytes, not hundreds.
     */
    static final class LongIntMap {
        private long[] keys;
        /** A slot's value plus one; 0: the slot is empty (one array fewer to miss the cache in). */
        private int[] values;
        private int size;

        LongIntMap() {
            this(512);
        }

        /** A map with room for {@code expected} keys before it grows. */
        LongIntMap(int expected) {
            int capacity = 1024;
            while (capacity < 2L * expected + 2 && capacity < (1 << 30)) {
                capacity <<= 1;
            }
            keys = new long[capacity];
            values = new int[capacity];
        }

        /** The value of a key, or -1. */
        int get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); values[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i] - 1;
                }
            }
            return -1;
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (values[i] != 0) {
                if (keys[i] == key) {
                    values[i] = value + 1;
                    return;
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value + 1;
            size++;
        }

        /** The value of {@code key}; when it has none, puts {@code value} and returns -1. */
        int getOrPut(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (values[i] != 0) {
                if (keys[i] == key) {
                    return values[i] - 1;
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value + 1;
            size++;
            return -1;
        }

        void putIfAbsent(long key, int value) {
            if (get(key) < 0) {
                put(key, value);
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & mask;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != 0) {
                    put(oldKeys[i], oldValues[i] - 1);
                }
            }
        }
    }
}
