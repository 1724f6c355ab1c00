package org.admap.internal.columns;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnoser;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Duplicates;
import org.admap.internal.text.TextKeys;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;

/**
 * {@code diagnose} on a run's {@link RunColumns}: the same {@link Diagnoser} and
 * {@link Duplicates.Finder} as the diagnosis on the run store ({@code DiagnoseJob}), fed from
 * the columns, so the flags are the same; the texts are read from the input only where the
 * hashes cannot decide alone:
 * <ul>
 *   <li>responses of one instruction whose whitespace-blind filters collide are read and
 *       compared whitespace aside (equal filters are necessary, not sufficient);</li>
 *   <li>a pair (two responses) whose normalised prompt another pair shares is read whole, as
 *       its key holds its two responses; any other instruction's keys are its prompt's hashes,
 *       computed by the scan.</li>
 * </ul>
 * Without scorers and self-validation, which need the run store.
 */
public final class ColumnDiagnosis {

    /** Set into the keys of a pair whose prompt no other pair has: they match nothing. */
    private static final long PAIR_SALT = 0x5DEECE66DL * 0x9E3779B97F4A7C15L;

    private ColumnDiagnosis() {
    }

    /**
     * Diagnoses the map of the columns.
     *
     * @param texts the inputs' texts, read only for the duplicates (may be null without them)
     */
    public static Diagnosis run(RunColumns columns, InputTexts texts, DiagnoseOptions options, boolean duplicates)
            throws IOException {
        if (!options.scorers().isEmpty()) {
            throw new IllegalArgumentException("scorers need the run store");
        }
        Diagnoser diagnoser = new Diagnoser(options);
        diagnoser.idsFrom(columns::id); // the points come without ids: only the flagged need theirs
        // the points one at a time, in key order: a million held at once were most of the heap
        int[] order = keyOrder(columns);
        diagnoser.expect(order.length);
        for (int at : order) {
            MapPoint p = columns.point(at, false);
            int from = columns.responseStart(p.key());
            int to = columns.responseEnd(p.key());
            double[] scores = new double[to - from];
            double[] labels = new double[to - from];
            for (int r = from; r < to; r++) {
                scores[r - from] = columns.mapScore(r);
                labels[r - from] = columns.label(r);
            }
            diagnoser.accept(p, new ItemScores(p.key(), p.id(), scores, labels), null, List.of(), List.of());
        }
        return diagnoser.finish(duplicates ? duplicates(columns, texts) : Duplicates.none());
    }

    /** The point indices in key order (the points' own order when it is that, as map writes them). */
    private static int[] keyOrder(RunColumns columns) {
        int n = columns.pointCount();
        boolean sorted = true;
        for (int p = 1; p < n && sorted; p++) {
            sorted = columns.pointKey(p - 1) <= columns.pointKey(p);
        }
        if (sorted) {
            int[] order = new int[n];
            Arrays.setAll(order, p -> p);
            return order;
        }
        // a stable sort by key, as List.sort did on the points
        long[] packed = new long[n];
        for (int p = 0; p < n; p++) {
            packed[p] = ((long) columns.pointKey(p) << 32) | p;
        }
        Arrays.sort(packed);
        int[] order = new int[n];
        for (int p = 0; p < n; p++) {
            order[p] = (int) packed[p];
        }
        return order;
    }

    /** The duplicates of the texts, as {@code Duplicates.Finder} finds them on whole texts. */
    static Duplicates duplicates(RunColumns columns, InputTexts texts) throws IOException {
        long[] pairPrompts = pairPromptHashes(columns);
        Duplicates.Finder finder = new Duplicates.Finder(columns::id); // an id only where a finding needs it
        finder.expect(columns.items());
        for (int key = 0; key < columns.items(); key++) {
            int from = columns.responseStart(key);
            int to = columns.responseEnd(key);
            int k = to - from;
            int repeated = filtersCollide(columns, from, to) ? repeatedResponses(texts, key, from, to) : 0;
            long exact;
            long normalised;
            if (k == 2) {
                long h = columns.normalisedHash(key);
                if (occursTwice(pairPrompts, h)) {
                    long[] keys = Duplicates.Finder.instructionKeys(texts.prompt(key),
                            List.of(texts.response(key, from), texts.response(key, from + 1)));
                    exact = keys[0];
                    normalised = keys[1];
                } else {
                    exact = columns.promptHash(key) ^ PAIR_SALT;
                    normalised = h ^ PAIR_SALT;
                }
            } else {
                exact = columns.promptHash(key);
                normalised = columns.normalisedHash(key);
            }
            finder.accept(key, null, k, repeated, exact, normalised);
        }
        return finder.finish();
    }

    private static boolean filtersCollide(RunColumns columns, int from, int to) {
        for (int a = from; a < to; a++) {
            long fa = columns.textFilter(a);
            for (int b = a + 1; b < to; b++) {
                if (columns.textFilter(b) == fa) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int repeatedResponses(InputTexts texts, int key, int from, int to) throws IOException {
        Set<String> distinct = new HashSet<>();
        for (int r = from; r < to; r++) {
            distinct.add(TextKeys.whitespace(texts.response(key, r)));
        }
        return (to - from) - distinct.size();
    }

    /** The normalised prompt hashes of the pairs, sorted. */
    private static long[] pairPromptHashes(RunColumns columns) {
        long[] out = new long[1024];
        int n = 0;
        for (int key = 0; key < columns.items(); key++) {
            if (columns.responseEnd(key) - columns.responseStart(key) == 2) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = columns.normalisedHash(key);
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    private static boolean occursTwice(long[] sorted, long h) {
        int i = Arrays.binarySearch(sorted, h);
        if (i < 0) {
            return false;
        }
        return i > 0 && sorted[i - 1] == h || i + 1 < sorted.length && sorted[i + 1] == h;
    }
}
