package org.admap.select;

import java.util.Locale;

/** Which pairs to form from an instruction's responses. */
public enum PairMode {
    /** Every pair whose values differ (up to 6 from 4 responses), the paper's way. */
    ALL("all"),
    /** One pair per instruction: the highest-valued response against the lowest. */
    BEST_WORST("best-worst");

    private final String cliName;

    PairMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static PairMode parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (PairMode m : values()) {
            if (m.cliName.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pair mode '" + name + "': expected all or best-worst");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
