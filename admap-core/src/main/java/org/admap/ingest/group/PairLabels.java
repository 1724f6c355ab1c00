package org.admap.ingest.group;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the comparisons of the rows grouped into one instruction become its responses' labels
 * ({@code --pair-labels}).
 */
public enum PairLabels {
    /**
     * Wins minus losses over every comparison the response took part in (a tie counts for
     * neither). The default: it is what a reader can check by hand, and on complete
     * comparisons (every pair of the responses, as UltraFeedback's pairs are) it orders the
     * responses as the underlying ratings do.
     */
    WINS("wins"),
    /**
     * The log-strength of a Bradley-Terry model fitted to the instruction's comparisons (a tie
     * counts half a win for each side), with one virtual comparison won and one lost against
     * an opponent of strength 1 so that a response that never lost has a finite strength. For
     * incomplete comparisons it weighs whom a response was compared with: a win and a loss
     * against strong responses count for more than against weak ones, which wins minus losses
     * ignores.
     */
    BRADLEY_TERRY("bradley-terry");

    private final String cliName;

    PairLabels(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static PairLabels parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (PairLabels p : values()) {
            if (p.cliName.equals(n) || (p == BRADLEY_TERRY && n.equals("bt"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pair-label rule '" + name + "': expected one of "
                + Arrays.stream(values()).map(PairLabels::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
