package org.admap.score;

import java.util.Locale;
import java.util.Map;

/**
 * US dollars per million tokens, in and out, to account for what scoring costs.
 *
 * <p>Defaults exist for common OpenAI models (list prices of standard, non-batch calls as
 * published by OpenAI in 2025; the Batch API charges half). They go stale: pass
 * {@code --price-in} and {@code --price-out} for anything else or when prices change.
 * Unknown models cost 0 and say so.
 *
 * @param inPerMillion  USD per million prompt tokens
 * @param outPerMillion USD per million completion tokens
 * @param known         whether the price is known (given or from the table)
 */
public record Pricing(double inPerMillion, double outPerMillion, boolean known) {

    public static final Pricing UNKNOWN = new Pricing(0, 0, false);

    private static final Map<String, double[]> TABLE = Map.ofEntries(
            Map.entry("gpt-4o-2024-11-20", new double[] {2.50, 10.00}),
            Map.entry("gpt-4o-2024-08-06", new double[] {2.50, 10.00}),
            Map.entry("gpt-4o", new double[] {2.50, 10.00}),
            Map.entry("gpt-4o-mini", new double[] {0.15, 0.60}),
            Map.entry("gpt-4o-mini-2024-07-18", new double[] {0.15, 0.60}),
            Map.entry("gpt-4.1", new double[] {2.00, 8.00}),
            Map.entry("gpt-4.1-mini", new double[] {0.40, 1.60}),
            Map.entry("gpt-4.1-nano", new double[] {0.10, 0.40}),
            Map.entry("gpt-4-turbo", new double[] {10.00, 30.00}),
            Map.entry("gpt-3.5-turbo", new double[] {0.50, 1.50}),
            Map.entry("text-embedding-3-small", new double[] {0.02, 0}),
            Map.entry("text-embedding-3-large", new double[] {0.13, 0}),
            Map.entry("text-embedding-ada-002", new double[] {0.10, 0}));

    /** The table's price for a model, or {@link #UNKNOWN}. */
    public static Pricing forModel(String model) {
        double[] p = TABLE.get(model.toLowerCase(Locale.ROOT));
        return p == null ? UNKNOWN : new Pricing(p[0], p[1], true);
    }

    /** A price given by the user, or the table's where the user gave none. */
    public static Pricing of(String model, Double inPerMillion, Double outPerMillion) {
        Pricing table = forModel(model);
        if (inPerMillion == null && outPerMillion == null) {
            return table;
        }
        return new Pricing(inPerMillion != null ? inPerMillion : table.inPerMillion(),
                outPerMillion != null ? outPerMillion : table.outPerMillion(), true);
    }

    /** The cost of a call. */
    public double cost(long tokensIn, long tokensOut) {
        return (tokensIn * inPerMillion + tokensOut * outPerMillion) / 1_000_000.0;
    }

    /** The same prices halved (the Batch API's discount). */
    public Pricing halved() {
        return new Pricing(inPerMillion / 2, outPerMillion / 2, known);
    }
}
