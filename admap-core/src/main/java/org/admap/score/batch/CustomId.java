package org.admap.score.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.admap.score.ScoreTask;

/**
 * The {@code custom_id} of a Batch API request line: which responses of which instruction it
 * scores, under which scorer configuration, and which of their repeated judgments it is, as
 * {@code admap:FINGERPRINT:ITEMKEY:POS[,POS...]} for the first judgment
 * ({@code admap:3f2a...:41:0,1,2,3}) and {@code admap:FINGERPRINT:ITEMKEY:POS[,POS...]:SAMPLE}
 * for the others ({@code --samples K}, {@code --orders 2}: {@code admap:3f2a...:41:0,1,2,3:2}).
 * The first judgment keeps the form it had before samples went through batches, so that
 * batches submitted by an earlier admap are still matched. An answer line is matched back to
 * its task by it alone, so a batch can be imported by another process than the one that
 * submitted it.
 *
 * @param fingerprint the scorer configuration's fingerprint
 * @param itemKey     the instruction's key in the run store
 * @param positions   the responses' positions, in the task's order
 * @param sample      the judgment's sample index (0-based)
 */
record CustomId(String fingerprint, int itemKey, List<Integer> positions, int sample) {

    private static final String PREFIX = "admap";

    CustomId {
        positions = List.copyOf(positions);
        if (sample < 0) {
            throw new IllegalArgumentException("a sample index is 0 or more, got " + sample);
        }
    }

    /** The id of a first judgment. */
    CustomId(String fingerprint, int itemKey, List<Integer> positions) {
        this(fingerprint, itemKey, positions, 0);
    }

    static CustomId of(String fingerprint, ScoreTask task) {
        List<Integer> positions = new ArrayList<>();
        for (ScoreTask.Target t : task.responses()) {
            positions.add(t.position());
        }
        return new CustomId(fingerprint, task.itemKey(), positions, task.sample());
    }

    /** Reads a custom id; null when it is not one of admap's. */
    static CustomId parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(":", -1);
        if (parts.length < 4 || parts.length > 5 || !parts[0].equals(PREFIX) || parts[1].isEmpty()
                || parts[3].isEmpty()) {
            return null;
        }
        try {
            int key = Integer.parseInt(parts[2]);
            List<Integer> positions = new ArrayList<>();
            for (String p : parts[3].split(",")) {
                positions.add(Integer.parseInt(p));
            }
            int sample = parts.length == 5 ? Integer.parseInt(parts[4]) : 0;
            if (parts.length == 5 && sample == 0) {
                return null; // the first judgment has no sample part: one id per request
            }
            return key < 0 || sample < 0 || positions.stream().anyMatch(p -> p < 0) ? null
                    : new CustomId(parts[1], key, positions, sample);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return PREFIX + ":" + fingerprint + ":" + itemKey + ":"
                + positions.stream().map(String::valueOf).collect(Collectors.joining(","))
                + (sample > 0 ? ":" + sample : "");
    }
}
