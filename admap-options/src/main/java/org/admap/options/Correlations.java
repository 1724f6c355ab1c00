package org.admap.options;

import org.admap.stats.Correlation;
import picocli.CommandLine;

/** Lets picocli parse {@code --corr cosine|pearson|kendall|rank|pearson-minmax|kl}. */
public final class Correlations implements CommandLine.ITypeConverter<Correlation> {
    @Override
    public Correlation convert(String value) {
        return Correlation.parse(value);
    }
}
