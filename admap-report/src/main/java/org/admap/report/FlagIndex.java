package org.admap.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.admap.store.ItemDetails;

/**
 * The run's flags by instruction key, and their reasons in alphabetical order: a point's flags
 * travel as one bit mask whose bit {@code i} is {@code reasons().get(i)} (the 31st and later
 * reasons share the last bit).
 *
 * @param byKey   each flagged instruction's flag rows, in key order
 * @param reasons the distinct reasons, sorted
 */
record FlagIndex(TreeMap<Integer, List<ItemDetails.ViewerFlag>> byKey, List<String> reasons) {

    /** Indexes the flag rows of a store. */
    static FlagIndex of(List<ItemDetails.ViewerFlag> rows) {
        TreeMap<Integer, List<ItemDetails.ViewerFlag>> byKey = new TreeMap<>();
        for (ItemDetails.ViewerFlag f : rows) {
            byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
        }
        List<String> reasons = new ArrayList<>(new TreeSet<>(rows.stream().map(ItemDetails.ViewerFlag::reason)
                .toList()));
        return new FlagIndex(byKey, reasons);
    }

    /** Whether the instruction has a flag. */
    boolean flagged(int key) {
        return byKey.containsKey(key);
    }

    /** The instruction's flag rows, empty when it has none. */
    List<ItemDetails.ViewerFlag> rows(int key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** The instruction's flags as a bit mask over {@link #reasons()}. */
    int bits(int key) {
        int bits = 0;
        for (ItemDetails.ViewerFlag f : rows(key)) {
            bits |= 1 << Math.min(30, reasons.indexOf(f.reason()));
        }
        return bits;
    }
}
