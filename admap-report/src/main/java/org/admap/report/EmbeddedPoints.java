package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The size policy of the view: which mapped instructions the page carries as points and which
 * of those with their full texts. Up to {@code maxPoints} every one is a point; beyond, every
 * flagged one plus a sample seeded with 42 (the same page for the same run). At most
 * {@code maxDetails} get their texts: all when that many or fewer are embedded, else the
 * flagged ones first and then an even spread over the rest. The viewer embeds no texts.
 *
 * @param indices      positions in the map's point list of the embedded points, in key order
 * @param keys         their instruction keys
 * @param detailKeys   the keys whose full texts are embedded (empty for the viewer)
 * @param excerptChars prompt characters per point
 */
record EmbeddedPoints(int[] indices, BitSet keys, BitSet detailKeys, int excerptChars) {

    /** Applies the options' policy to the map's points. */
    static EmbeddedPoints choose(PointColumns all, FlagIndex flags, ViewData.Options options) {
        int[] embedded = embeddedIndices(all, flags, options.maxPoints());
        BitSet keys = new BitSet();
        for (int i : embedded) {
            keys.set(all.key(i));
        }
        BitSet details = options.serve() ? new BitSet() : detailKeys(all, embedded, flags, options.maxDetails());
        return new EmbeddedPoints(embedded, keys, details, options.excerpt(embedded.length));
    }

    /** The page's {@code policy} object: what it holds of how many, so it can say so. */
    void writePolicy(JsonGenerator g, int points, ViewData.Options options) throws IOException {
        g.writeObjectFieldStart("policy");
        g.writeNumberField("points", points);
        g.writeNumberField("embeddedPoints", indices.length);
        g.writeBooleanField("sampled", indices.length < points);
        g.writeNumberField("excerptChars", excerptChars);
        g.writeNumberField("details", detailKeys.cardinality());
        g.writeBooleanField("allDetails", !options.serve() && detailKeys.cardinality() == indices.length);
        g.writeNumberField("maxTextChars", options.maxTextChars());
        g.writeEndObject();
    }

    /** Indices of the points to embed: all, or every flagged one plus a seeded sample, in key order. */
    private static int[] embeddedIndices(PointColumns all, FlagIndex flags, int maxPoints) {
        int n = all.size();
        if (n <= maxPoints) {
            int[] all0 = new int[n];
            for (int i = 0; i < n; i++) {
                all0[i] = i;
            }
            return all0;
        }
        BitSet chosen = new BitSet(n);
        int count = 0;
        for (int i = 0; i < n && count < maxPoints; i++) {
            if (flags.flagged(all.key(i))) {
                chosen.set(i);
                count++;
            }
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n && count < maxPoints; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            if (!chosen.get(order[i])) {
                chosen.set(order[i]);
                count++;
            }
        }
        return chosen.stream().toArray();
    }

    /** Which embedded instructions get their full texts. */
    private static BitSet detailKeys(PointColumns all, int[] embedded, FlagIndex flags, int max) {
        BitSet keys = new BitSet();
        if (embedded.length <= max) {
            for (int i : embedded) {
                keys.set(all.key(i));
            }
            return keys;
        }
        int count = 0; // the keys set: a BitSet counts its bits by walking all its words
        for (int i : embedded) {
            if (count >= max) {
                return keys;
            }
            int key = all.key(i);
            if (flags.flagged(key) && !keys.get(key)) {
                keys.set(key);
                count++;
            }
        }
        int left = max - count;
        if (left > 0) {
            double stride = (double) embedded.length / left;
            for (int s = 0; s < left; s++) {
                keys.set(all.key(embedded[(int) (s * stride)]));
            }
        }
        return keys;
    }
}
