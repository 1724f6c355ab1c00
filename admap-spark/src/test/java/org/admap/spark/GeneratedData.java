package org.admap.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Small seeded preference files in admap's multi layout, made to hit the corners of the
 * map: scores on a coarse grid (many equal means and variances, so ties are broken by id),
 * items with fewer than two scores (not on the map), items of two responses (pairs, for the
 * margin rule), labels that sometimes disagree with the scores, and one id that already
 * carries a {@code #2} suffix (see {@link #id}).
 */
final class GeneratedData {

    private GeneratedData() {
    }

    /**
     * The ids, with deliberate collisions: the first file has a natural {@code item-00005#2}
     * before {@code item-00005}; a later file repeats both, so they become {@code item-00005#3}
     * and {@code item-00005#2#2} as the single machine's renaming makes them.
     */
    private static String id(int first, int i) {
        if (first == 0 && i == 3) {
            return "item-00005#2";
        }
        if (first != 0 && i < 2) {
            return i == 0 ? "item-00005" : "item-00005#2";
        }
        return String.format(Locale.ROOT, "item-%05d", first + i);
    }

    /** {@code count} rows with ids {@code item-<first>} onward. */
    static List<String> lines(int count, long seed, int first) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int number = first + i;
            String id = id(first, i);
            boolean colliding = id.startsWith("item-00005"); // always on the map, to check their names there
            int responses = colliding ? 4 : 1 + random.nextInt(4);
            StringBuilder row = new StringBuilder("{\"id\": \"" + id + "\", \"prompt\": \"Question " + number
                    + " (seed " + seed + ")\", \"responses\": [");
            for (int r = 0; r < responses; r++) {
                double score = random.nextInt(5) * 0.5; // a coarse grid: ties everywhere
                boolean scored = random.nextInt(10) > 0 || colliding;
                int label = random.nextInt(3) == 0 ? random.nextInt(5) : (int) Math.round(score * 2);
                row.append(r == 0 ? "" : ", ").append("{\"text\": \"answer ").append(r).append(" to ").append(number)
                        .append("\"");
                if (scored) {
                    row.append(", \"score\": ").append(score);
                }
                row.append(", \"label\": ").append(label).append("}");
            }
            lines.add(row.append("]}").toString());
        }
        return lines;
    }
}
