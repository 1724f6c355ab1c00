package org.admap.select;

import java.util.Locale;
import org.admap.model.Region;

/**
 * What to select: one region, all mapped instructions, or a random sample (the paper's
 * baseline).
 *
 * @param region the region, or null for {@code all} and {@code random}
 * @param random whether this is the random baseline
 */
public record Target(Region region, boolean random) {

    public static final Target ALL = new Target(null, false);
    public static final Target RANDOM = new Target(null, true);

    public static Target of(Region region) {
        return new Target(region, false);
    }

    /** Parses {@code high-avg|low-avg|high-var|all|random}. */
    public static Target parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("all")) {
            return ALL;
        }
        if (n.equals("random")) {
            return RANDOM;
        }
        try {
            return of(Region.parse(n));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown region '" + name
                    + "': expected high-avg, low-avg, high-var, all or random");
        }
    }

    /** The name as written on the command line. */
    public String cliName() {
        return region != null ? region.cliName() : random ? "random" : "all";
    }

    @Override
    public String toString() {
        return cliName();
    }
}
