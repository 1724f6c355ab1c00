package org.admap.internal.ingest.scan;

import java.util.List;

/**
 * The set of the ids the scan has seen, as an open-addressing table of item numbers into the
 * chunks' own id columns: the ids are compared where they already lie, so the set costs 4
 * bytes a slot instead of a {@code HashSet}'s node and table entry per id (about 40 bytes),
 * which was what took a 5M-instruction map past 2.5 GB of heap at the end of the scan.
 */
final class ScannedIds {

    private final ScannedChunk[] chunks;
    /** Per chunk: the number of its first item among all the chunks'. */
    private final int[] starts;
    /** Item number + 1 per slot, 0 for a free one. */
    private final int[] slots;
    private final int mask;

    ScannedIds(List<ScannedChunk> chunks) {
        this.chunks = chunks.toArray(new ScannedChunk[0]);
        this.starts = new int[this.chunks.length];
        long total = 0;
        for (int c = 0; c < this.chunks.length; c++) {
            starts[c] = (int) total;
            total += this.chunks[c].items;
        }
        if (total > 1 << 29) {
            throw new IllegalStateException(total + " instructions are more than one run's columns can hold");
        }
        int capacity = Integer.highestOneBit((int) Math.max(16, total + total / 2)) << 1; // load at most 2/3
        slots = new int[capacity];
        mask = capacity - 1;
    }

    /** Whether {@code id} is among the ids added. */
    boolean contains(String id) {
        for (int s = slot(id); slots[s] != 0; s = (s + 1) & mask) {
            if (idOf(slots[s] - 1).equals(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the id that item {@code item} (counted over all chunks) holds now, unless an equal
     * one was added before.
     *
     * @return whether it was added
     */
    boolean add(int item) {
        String id = idOf(item);
        int s = slot(id);
        for (; slots[s] != 0; s = (s + 1) & mask) {
            if (idOf(slots[s] - 1).equals(id)) {
                return false;
            }
        }
        slots[s] = item + 1;
        return true;
    }

    /**
     * The item number of the first item added whose id equals item {@code item}'s; when there
     * is none, adds {@code item} and returns it.
     */
    int firstWithIdOf(int item) {
        String id = idOf(item);
        int s = slot(id);
        for (; slots[s] != 0; s = (s + 1) & mask) {
            if (idOf(slots[s] - 1).equals(id)) {
                return slots[s] - 1;
            }
        }
        slots[s] = item + 1;
        return item;
    }

    private int slot(String id) {
        int h = id.hashCode() * 0x9E3779B1; // spread the low bits String.hashCode leaves alike
        return (h ^ (h >>> 15)) & mask;
    }

    private String idOf(int item) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) { // the last chunk whose first item is at or before it
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= item) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return chunks[lo].ids[item - starts[lo]];
    }
}
