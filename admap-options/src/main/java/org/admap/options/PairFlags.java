package org.admap.options;

import java.util.Locale;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import picocli.CommandLine.Option;

/**
 * How instructions become pairs, shared by every command that exports them ({@code select},
 * {@code experiment}) and by the Spark job.
 */
public final class PairFlags {

    @Option(names = "--pairs", paramLabel = "MODE", defaultValue = "all",
            description = "all (every differing pair, default, the paper's) or best-worst (one pair per instruction).")
    String pairs;

    @Option(names = "--pair-by", paramLabel = "VALUES", defaultValue = "labels",
            description = "What ranks the responses into pairs: labels (the data's labels; the default) or scores"
                    + " (the map's scores).")
    String pairBy;

    @Option(names = "--max-pairs-per-prompt", paramLabel = "N",
            description = "Keep at most N pairs per instruction: those with the largest margin (chosen's value"
                    + " minus rejected's), so that instructions with many responses do not outweigh the rest"
                    + " (default: every pair).")
    Integer maxPairsPerPrompt;

    /** The pairing mode the options name. */
    public PairMode mode() {
        return PairMode.parse(pairs);
    }

    /** The export options for {@code format}; an {@link IllegalArgumentException} names a bad value. */
    public SelectionExport.Options toOptions(ExportFormat format) {
        PairBuilder.By by = switch (pairBy.toLowerCase(Locale.ROOT)) {
            case "labels", "label" -> PairBuilder.By.LABELS;
            case "scores", "score" -> PairBuilder.By.SCORES;
            default -> throw new IllegalArgumentException("--pair-by must be labels or scores, got '" + pairBy + "'");
        };
        if (maxPairsPerPrompt != null && maxPairsPerPrompt < 1) {
            throw new IllegalArgumentException("--max-pairs-per-prompt must be at least 1, got " + maxPairsPerPrompt);
        }
        return new SelectionExport.Options(mode(), by, format, maxPairsPerPrompt == null ? 0 : maxPairsPerPrompt);
    }
}
