package org.admap.run;

import java.nio.file.Path;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.internal.ingest.hub.InputResolver;
import org.admap.map.StabilityOptions;
import org.admap.stats.Correlation;

/**
 * What a new run is made from and how: the inputs as the user named them, where the run
 * goes, and the map to build. The run chooses between the fast scan and the full ingest
 * itself ({@link Run#create}); {@code fullIngest} only forbids the scan.
 *
 * @param inputs      data files or Hub datasets ({@code hf://datasets/...}), read into one run
 * @param resolver    turns Hub addresses into local files; null when no input may be one
 * @param ingest      how the rows are read
 * @param out         the run directory
 * @param force       replace a run already in {@code out}
 * @param scores      the score source to map, or null for the default
 * @param correlation the agreement measure of the map's correlation column
 * @param threads     threads that scan JSON-lines input (at least 1)
 * @param fullIngest  build the store with every text now, never by a scan
 * @param mapRequired when false, data with neither scores nor labels is stored without a map
 *                    (a scorer is about to give it scores)
 * @param stability   how the map estimates its regions' stability when the scores carry
 *                    uncertainty; anything but {@link StabilityOptions#DEFAULTS} forbids the
 *                    scan (which maps the means of the scores only)
 * @param query       a DuckDB query whose rows are read too, in the long layout
 *                    ({@link org.admap.ingest.QueryReader}), after the inputs; or null
 */
public record CreateOptions(List<String> inputs, InputResolver resolver, IngestOptions ingest, Path out,
                            boolean force, String scores, Correlation correlation, int threads, boolean fullIngest,
                            boolean mapRequired, StabilityOptions stability, String query) {

    public CreateOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty() && query == null) {
            throw new RunException("no input: give data files, or --query");
        }
        stability = stability == null ? StabilityOptions.DEFAULTS : stability;
        if (threads < 1) {
            throw new RunException("--threads must be at least 1, got " + threads);
        }
    }

    /** Options without a query. */
    public CreateOptions(List<String> inputs, InputResolver resolver, IngestOptions ingest, Path out, boolean force,
                         String scores, Correlation correlation, int threads, boolean fullIngest,
                         boolean mapRequired, StabilityOptions stability) {
        this(inputs, resolver, ingest, out, force, scores, correlation, threads, fullIngest, mapRequired, stability,
                null);
    }

    /** Options with the default stability estimate. */
    public CreateOptions(List<String> inputs, InputResolver resolver, IngestOptions ingest, Path out, boolean force,
                         String scores, Correlation correlation, int threads, boolean fullIngest,
                         boolean mapRequired) {
        this(inputs, resolver, ingest, out, force, scores, correlation, threads, fullIngest, mapRequired,
                StabilityOptions.DEFAULTS);
    }

    /** A run of these files into {@code out} with the defaults: the data's scores, cosine, every core. */
    public static CreateOptions of(List<String> inputs, Path out) {
        return new CreateOptions(inputs, null, IngestOptions.defaults(), out, false, null, Correlation.COSINE,
                Runtime.getRuntime().availableProcessors(), false, true);
    }

    public CreateOptions withResolver(InputResolver value) {
        return new CreateOptions(inputs, value, ingest, out, force, scores, correlation, threads, fullIngest,
                mapRequired, stability, query);
    }

    public CreateOptions withIngest(IngestOptions value) {
        return new CreateOptions(inputs, resolver, value, out, force, scores, correlation, threads, fullIngest,
                mapRequired, stability, query);
    }

    public CreateOptions withForce(boolean value) {
        return new CreateOptions(inputs, resolver, ingest, out, value, scores, correlation, threads, fullIngest,
                mapRequired, stability, query);
    }

    public CreateOptions withScores(String value, Correlation measure) {
        return new CreateOptions(inputs, resolver, ingest, out, force, value, measure, threads, fullIngest,
                mapRequired, stability, query);
    }

    public CreateOptions withThreads(int value) {
        return new CreateOptions(inputs, resolver, ingest, out, force, scores, correlation, value, fullIngest,
                mapRequired, stability, query);
    }

    public CreateOptions withFullIngest(boolean value) {
        return new CreateOptions(inputs, resolver, ingest, out, force, scores, correlation, threads, value,
                mapRequired, stability, query);
    }

    public CreateOptions withMapRequired(boolean value) {
        return new CreateOptions(inputs, resolver, ingest, out, force, scores, correlation, threads, fullIngest,
                value, stability, query);
    }

    public CreateOptions withQuery(String value) {
        return new CreateOptions(inputs, resolver, ingest, out, force, scores, correlation, threads, fullIngest,
                mapRequired, stability, value);
    }

    public CreateOptions withStability(StabilityOptions value) {
        return new CreateOptions(inputs, resolver, ingest, out, force, scores, correlation, threads, fullIngest,
                mapRequired, value, query);
    }
}
