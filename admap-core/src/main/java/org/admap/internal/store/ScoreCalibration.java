package org.admap.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A calibration share of a score source ({@code score --calibrate F}): a seeded share of the
 * instructions whose responses are all judged a second time, so that a map built from one
 * judgment per response can estimate the judge's noise from the pairs. The choice is by
 * instruction, not by response: with {@code --per-call all} one call judges all responses of
 * an instruction, and a calibrated instruction has every one of its responses' own spread.
 *
 * <p>The choice depends only on the instruction's id and the seed, so a rerun with the same
 * share and seed chooses the same instructions (and adds no call), a larger share with the
 * same seed chooses a superset, and adding data does not move the choice of the others. The
 * store records the share of each calibrated source, for the map.
 *
 * @param share the share of instructions judged twice, in (0, 1]
 * @param seed  the seed of the choice (the judge's {@code --seed})
 */
public record ScoreCalibration(double share, long seed) {

    private static final String INFO_PREFIX = "calibration:";

    public ScoreCalibration {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("--calibrate F is the share of the instructions judged twice, more"
                    + " than 0 and at most 1; got " + share);
        }
    }

    /** Whether the instruction with this id is in the share judged twice. */
    public boolean chosen(String itemId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : itemId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = h ^ (seed * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < share;
    }

    /** Judgments per response of an instruction: 2 in the share, 1 otherwise. */
    public int samplesFor(String itemId) {
        return chosen(itemId) ? 2 : 1;
    }

    /** Records that {@code source} is calibrated this way (the latest share given wins). */
    public void record(RunStore store, String source) {
        store.putInfo(INFO_PREFIX + source, share + " " + seed);
    }

    /** The calibration recorded for {@code source}, if it was scored with {@code --calibrate}. */
    public static Optional<ScoreCalibration> recorded(RunStore store, String source) {
        return store.info(INFO_PREFIX + source).filter(v -> !v.isBlank()).map(v -> {
            String[] parts = v.trim().split(" ");
            return new ScoreCalibration(Double.parseDouble(parts[0]), Long.parseLong(parts[1]));
        });
    }

    /** The noise model in words: {@code calibration F=0.1 (seed 1234), 180 pairs, pooled sd 0.816}. */
    public String describe(long pairs, double judgmentVariance) {
        return String.format(Locale.ROOT, "calibration F=%s (seed %d), %d pairs, pooled sd %.3f", shareText(), seed,
                pairs, Math.sqrt(judgmentVariance));
    }

    /** The share as given ({@code 0.1}, {@code 1}). */
    public String shareText() {
        return share == Math.rint(share) ? Long.toString((long) share) : Double.toString(share);
    }
}
