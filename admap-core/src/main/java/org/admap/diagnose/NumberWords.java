package org.admap.diagnose;

import java.util.HashMap;
import java.util.Map;

/**
 * The numbers of one rule's reasons in words ({@link FlagRule#fmt}), each value formatted once:
 * a map's low-impact or mis-annotated flags repeat a few values (the variance 0, the threshold)
 * tens of thousands of times, and {@code String.format} was most of what a reason cost. Not
 * safe for several threads; each rule of a {@link Diagnoser} has its own.
 */
final class NumberWords {

    /** Values kept at most: beyond it a value is formatted every time, as without the cache. */
    static final int CAPACITY = 1 << 16;

    private final Map<Double, String> words = new HashMap<>();

    /** {@link FlagRule#fmt} of {@code v}. */
    String of(double v) {
        String w = words.get(v);
        if (w == null) {
            w = FlagRule.fmt(v);
            if (words.size() < CAPACITY) {
                words.put(v, w);
            }
        }
        return w;
    }

    /** How many values are kept. */
    int size() {
        return words.size();
    }
}
