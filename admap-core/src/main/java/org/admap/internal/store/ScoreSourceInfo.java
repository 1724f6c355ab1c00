package org.admap.internal.store;

import java.time.Instant;

/**
 * A scorer source of a run: its name and the configuration that made its scores.
 *
 * @param source        the name maps are built on ({@code --scores judge})
 * @param kind          judge, reward, reference...
 * @param fingerprint   identifies the configuration; scores are reused only under the same one
 * @param endpoint      where the model was served
 * @param model         the model
 * @param promptVersion the prompt or rubric version, or null
 * @param parameters    the other parameters, as {@code key=value, ...}
 * @param created       when the source was first used
 */
public record ScoreSourceInfo(String source, String kind, String fingerprint, String endpoint, String model,
                              String promptVersion, String parameters, Instant created) {
}
