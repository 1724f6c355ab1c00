package org.admap.score;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.admap.model.TextHash;

/**
 * What a scorer is, for provenance and caching: two scores are comparable when their
 * configurations have the same {@link #fingerprint()}, and a stored score may be reused
 * instead of calling again when, in addition, it was made at the same {@link #endpoint()}
 * (its {@linkplain Endpoint#key key}).
 *
 * <p>The fingerprint covers the kind, the model, the prompt version and the parameters
 * (temperature, seed, aspects, per-call mode...), but not the endpoint, so that it stays the
 * one every earlier admap wrote: the endpoint is recorded with every score row and checked
 * beside the fingerprint. Two servers that name the same model may still serve different
 * weights, quantisations or templates, so scores are shared across endpoints only when the
 * user says so ({@code --reuse-across-endpoints}: one model behind OpenAI, Azure or a proxy).
 *
 * @param kind          {@code judge}, {@code reward} or {@code reference}
 * @param model         the model that scores (or, for reference scoring, the embedding model)
 * @param promptVersion the version of the prompt or rubric, or null when there is none
 * @param parameters    everything else that changes the scores, by name
 * @param endpoint      where the model is served (base URL): recorded, and part of the reuse key
 */
public record ScorerConfig(String kind, String model, String promptVersion, SortedMap<String, String> parameters,
                           String endpoint) {

    public ScorerConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /** A configuration with these parameters. */
    public static ScorerConfig of(String kind, String model, String promptVersion, Map<String, String> parameters,
                                  String endpoint) {
        return new ScorerConfig(kind, model, promptVersion, new TreeMap<>(parameters), endpoint);
    }

    /** 16 hex digits identifying everything that makes scores comparable. */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        sb.append("kind=").append(kind).append('\n');
        sb.append("model=").append(model).append('\n');
        sb.append("prompt_version=").append(promptVersion == null ? "" : promptVersion).append('\n');
        parameters.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return TextHash.of(sb.toString());
    }

    /** The endpoint as a key ({@link Endpoint#key}): never the key of the API, never a credential. */
    public String endpointKey() {
        return Endpoint.key(endpoint);
    }

    /** The parameters as one line of {@code key=value} pairs, for provenance. */
    public String parametersText() {
        StringBuilder sb = new StringBuilder();
        parameters.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }
}
