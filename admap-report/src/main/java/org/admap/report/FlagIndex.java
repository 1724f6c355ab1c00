package org.admap.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.admap.internal.store.ItemDetails;

/**
 * The run's flags by instruction key, and their reasons in alphabetical order: a point's flags
 * travel as one bit mask whose bit {@code i} is {@code reasons().get(i)} (the 31st and later
 * reasons share the last bit).
 *
 * <p>Each key's mask is kept in an array by key: the page asks for it of every point and
 * whether each is flagged a few times over, a million lookups each on a large map, which a
 * tree of boxed keys made a noticeable part of the report's time.
 */
final class FlagIndex {

    private final TreeMap<Integer, List<ItemDetails.ViewerFlag>> byKey;
    private final List<String> reasons;
    /**
     * Each key's mask by key, up to the largest flagged key: 0 exactly where it has no flag row
     * (every row sets its reason's bit).
     */
    private final int[] bits;

    private FlagIndex(TreeMap<Integer, List<ItemDetails.ViewerFlag>> byKey, List<String> reasons, int[] bits) {
        this.byKey = byKey;
        this.reasons = reasons;
        this.bits = bits;
    }

    /** Indexes the flag rows of a store. */
    static FlagIndex of(List<ItemDetails.ViewerFlag> rows) {
        TreeMap<Integer, List<ItemDetails.ViewerFlag>> byKey = new TreeMap<>();
        TreeSet<String> distinct = new TreeSet<>();
        int maxKey = -1;
        for (ItemDetails.ViewerFlag f : rows) {
            byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
            distinct.add(f.reason());
            maxKey = Math.max(maxKey, f.key());
        }
        List<String> reasons = List.copyOf(distinct);
        Map<String, Integer> bit = new HashMap<>();
        for (int i = 0; i < reasons.size(); i++) {
            bit.put(reasons.get(i), 1 << Math.min(30, i));
        }
        int[] bits = new int[maxKey + 1];
        for (ItemDetails.ViewerFlag f : rows) {
            if (f.key() >= 0) { // keys are never negative; the tree answers for any such row
                bits[f.key()] |= bit.get(f.reason());
            }
        }
        return new FlagIndex(byKey, reasons, bits);
    }

    /** Each flagged instruction's flag rows, in key order. */
    Map<Integer, List<ItemDetails.ViewerFlag>> byKey() {
        return Collections.unmodifiableMap(byKey);
    }

    /** The distinct reasons, sorted. */
    List<String> reasons() {
        return reasons;
    }

    /** Whether the instruction has a flag. */
    boolean flagged(int key) {
        return key >= 0 ? key < bits.length && bits[key] != 0 : byKey.containsKey(key);
    }

    /** The instruction's flag rows, empty when it has none. */
    List<ItemDetails.ViewerFlag> rows(int key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** The instruction's flags as a bit mask over {@link #reasons()}. */
    int bits(int key) {
        if (key >= 0) {
            return key < bits.length ? bits[key] : 0;
        }
        int mask = 0;
        for (ItemDetails.ViewerFlag f : rows(key)) {
            mask |= 1 << Math.min(30, reasons.indexOf(f.reason()));
        }
        return mask;
    }
}
