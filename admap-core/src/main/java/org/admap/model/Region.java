package org.admap.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The three regions of an alignment data map. Each holds a third of the mapped
 * instructions, assigned by rank (no thresholds): the third with the highest score
 * variance is {@link #HIGH_VAR}; the remaining two thirds are split by mean score into
 * {@link #HIGH_AVG} (upper half) and {@link #LOW_AVG} (lower half).
 *
 * <p>The paper's finding is that training on {@code high-avg} alone matches or beats
 * training on all the data.
 */
public enum Region {
    HIGH_AVG("high-avg"),
    LOW_AVG("low-avg"),
    HIGH_VAR("high-var");

    private final String cliName;

    Region(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in output files, e.g. {@code high-avg}. */
    public String cliName() {
        return cliName;
    }

    /** Parses a region name as written on the command line or in {@code map.csv}. */
    public static Region parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Region r : values()) {
            if (r.cliName.equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown region '" + name + "': expected one of "
                + Arrays.stream(values()).map(Region::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
