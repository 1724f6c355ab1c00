package org.admap.spark;

import java.io.Serializable;
import java.util.stream.Collectors;
import org.admap.diagnose.Flag;
import org.admap.diagnose.Reason;

/**
 * One flagged instruction as the job writes it: the columns of the single machine's
 * {@code flags.csv} (without the prompt; join on {@code id} or {@code key} with the map).
 *
 * @param key         the item's key
 * @param id          the item's id
 * @param reasons     the reasons' names joined by {@code ;}, in reason order
 * @param correlation label/score agreement, NaN when undefined
 * @param margin      a pair's score margin, NaN otherwise
 * @param mean        the item's mean score
 * @param variance    the item's score variance
 * @param n           scored responses
 * @param detail      the rules met, in words
 */
public record FlagsCsvRow(int key, String id, String reasons, double correlation, double margin, double mean,
                      double variance, int n, String detail) implements Serializable {

    /** The row of a core flag. */
    public static FlagsCsvRow of(Flag f) {
        return new FlagsCsvRow(f.key(), f.id(),
                f.reasons().stream().map(Reason::cliName).collect(Collectors.joining(";")),
                f.correlation(), f.margin(), f.mean(), f.variance(), f.n(), f.detail());
    }
}
