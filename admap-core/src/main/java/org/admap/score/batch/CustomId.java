package org.admap.score.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.admap.score.ScoreTask;

/**
 * The {@code custom_id} of a Batch API request line: which responses of which instruction it
 * scores, under which scorer configuration, as {@code admap:FINGERPRINT:ITEMKEY:POS[,POS...]}
 * ({@code admap:3f2a...:41:0,1,2,3}). An answer line is matched back to its task by it alone,
 * so a batch can be imported by another process than the one that submitted it.
 *
 * @param fingerprint the scorer configuration's fingerprint
 * @param itemKey     the instruction's key in the run store
 * @param positions   the responses' positions, in the task's order
 */
record CustomId(String fingerprint, int itemKey, List<Integer> positions) {

    private static final String PREFIX = "admap";

    CustomId {
        positions = List.copyOf(positions);
    }

    static CustomId of(String fingerprint, ScoreTask task) {
        List<Integer> positions = new ArrayList<>();
        for (ScoreTask.Target t : task.responses()) {
            positions.add(t.position());
        }
        return new CustomId(fingerprint, task.itemKey(), positions);
    }

    /** Reads a custom id; null when it is not one of admap's. */
    static CustomId parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX) || parts[1].isEmpty() || parts[3].isEmpty()) {
            return null;
        }
        try {
            int key = Integer.parseInt(parts[2]);
            List<Integer> positions = new ArrayList<>();
            for (String p : parts[3].split(",")) {
                positions.add(Integer.parseInt(p));
            }
            return key < 0 || positions.stream().anyMatch(p -> p < 0) ? null : new CustomId(parts[1], key, positions);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return PREFIX + ":" + fingerprint + ":" + itemKey + ":"
                + positions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
