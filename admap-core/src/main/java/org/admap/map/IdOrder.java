package org.admap.map;

import org.admap.internal.map.Selection;

/**
 * The order of a set of points by id ({@link String#compareTo}), then position, made cheap
 * to test for the tens of thousands of points that can tie at a region split: each id's
 * first eight chars after the prefix that all the ids share are packed into two longs, read
 * once, in position order, so that most comparisons read two arrays rather than two Strings
 * (scattered in memory: comparing them costs cache misses). Ids that agree on those chars
 * are compared whole.
 */
final class IdOrder implements Selection.IntOrder {

    /** Chars per packed long: 16 bits each, so that an unsigned comparison orders them as compareTo does. */
    private static final int CHARS = 4;

    private final String[] ids;
    private final int[] positions;
    private final long[] first;
    private final long[] second;

    /**
     * The order of the points {@code 0 .. positions.length - 1}, point t being the one at
     * {@code positions[t]} with the id {@code ids[positions[t]]}.
     */
    IdOrder(String[] ids, int[] positions) {
        this.ids = ids;
        this.positions = positions;
        int count = positions.length;
        first = new long[count];
        second = new long[count];
        if (count == 0) {
            return;
        }
        String reference = ids[positions[0]];
        int shared = reference.length();
        for (int t = 1; t < count && shared > 0; t++) {
            shared = Math.min(shared, commonPrefix(reference, ids[positions[t]], shared));
        }
        for (int t = 0; t < count; t++) {
            String id = ids[positions[t]];
            first[t] = pack(id, shared);
            second[t] = pack(id, shared + CHARS);
        }
    }

    /** The length of the common prefix of a and b, at most {@code limit}. */
    private static int commonPrefix(String a, String b, int limit) {
        int n = Math.min(limit, b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /**
     * The chars {@code [from, from + 4)} of s, big-endian, a missing char as 0: if two packs
     * differ, the strings (which agree before {@code from}) compare as the packs do,
     * unsigned; if they are equal the strings may still differ (a 0 char, or later chars).
     */
    private static long pack(String s, int from) {
        long packed = 0;
        for (int i = from; i < from + CHARS; i++) {
            packed = (packed << 16) | (i < s.length() ? s.charAt(i) : 0);
        }
        return packed;
    }

    @Override
    public int compare(int a, int b) {
        int c = Long.compareUnsigned(first[a], first[b]);
        if (c == 0) {
            c = Long.compareUnsigned(second[a], second[b]);
            if (c == 0) {
                c = ids[positions[a]].compareTo(ids[positions[b]]);
                if (c == 0) {
                    c = Integer.compare(positions[a], positions[b]); // as a stable sort by id
                }
            }
        }
        return c;
    }
}
