package org.admap.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.admap.internal.store.ItemDetails;

/**
 * The run's flags by instruction key, and their reasons in alphabetical order: a point's flags
 * travel as one bit mask whose bit {@code i} is {@code reasons().get(i)} (the 31st and later
 * reasons share the last bit).
 *
 * <p>Each key's mask is kept in an array by key, and the rows grouped by key in key order in
 * arrays: the page asks for the mask of every point and whether each is flagged a few times
 * over, a million lookups each on a large map, and a tree of boxed keys (one node per flagged
 * instruction, 60,902 on a 1M-instruction run) made a visible part of a cold report's time.
 */
final class FlagIndex {

    /** The flagged keys, ascending. */
    private final int[] keys;
    /** The rows of {@code keys[i]}. */
    private final List<List<ItemDetails.ViewerFlag>> rows;
    private final List<String> reasons;
    /**
     * Each key's mask by key, up to the largest flagged key: 0 exactly where it has no flag row
     * (every row sets its reason's bit).
     */
    private final int[] bits;

    private FlagIndex(int[] keys, List<List<ItemDetails.ViewerFlag>> rows, List<String> reasons, int[] bits) {
        this.keys = keys;
        this.rows = rows;
        this.reasons = reasons;
        this.bits = bits;
    }

    /** Indexes the flag rows of a store (each key's rows in their order). */
    static FlagIndex of(List<ItemDetails.ViewerFlag> rows) {
        List<ItemDetails.ViewerFlag> sorted = rows;
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).key() < rows.get(i - 1).key()) { // the stores give them in key order
                sorted = new ArrayList<>(rows);
                sorted.sort(Comparator.comparingInt(ItemDetails.ViewerFlag::key)); // stable
                break;
            }
        }
        TreeSet<String> distinct = new TreeSet<>();
        int maxKey = -1;
        int[] keys = new int[sorted.size()];
        List<List<ItemDetails.ViewerFlag>> grouped = new ArrayList<>();
        int n = 0;
        for (ItemDetails.ViewerFlag f : sorted) {
            if (n == 0 || keys[n - 1] != f.key()) {
                keys[n++] = f.key();
                grouped.add(new ArrayList<>(2));
            }
            grouped.get(n - 1).add(f);
            distinct.add(f.reason());
            maxKey = Math.max(maxKey, f.key());
        }
        List<String> reasons = List.copyOf(distinct);
        Map<String, Integer> bit = new HashMap<>();
        for (int i = 0; i < reasons.size(); i++) {
            bit.put(reasons.get(i), 1 << Math.min(30, i));
        }
        int[] bits = new int[maxKey + 1];
        for (ItemDetails.ViewerFlag f : sorted) {
            if (f.key() >= 0) { // keys are never negative; the search answers for any such row
                bits[f.key()] |= bit.get(f.reason());
            }
        }
        return new FlagIndex(Arrays.copyOf(keys, n), grouped, reasons, bits);
    }

    /** How many instructions have flags. */
    int size() {
        return keys.length;
    }

    /** The key of the {@code i}-th flagged instruction, in key order. */
    int key(int i) {
        return keys[i];
    }

    /** The rows of the {@code i}-th flagged instruction, in key order. */
    List<ItemDetails.ViewerFlag> rowsAt(int i) {
        return Collections.unmodifiableList(rows.get(i));
    }

    /** The distinct reasons, sorted. */
    List<String> reasons() {
        return reasons;
    }

    /** Whether the instruction has a flag. */
    boolean flagged(int key) {
        return key >= 0 ? key < bits.length && bits[key] != 0 : Arrays.binarySearch(keys, key) >= 0;
    }

    /** The instruction's flag rows, empty when it has none. */
    List<ItemDetails.ViewerFlag> rows(int key) {
        int i = Arrays.binarySearch(keys, key);
        return i < 0 ? List.of() : rowsAt(i);
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
