package org.admap.map;

import java.time.Instant;

/**
 * What a map was built from, so that every region file and export can say which map made
 * it.
 *
 * @param scoreSource  the scores the map is built on ({@code input}, {@code labels}, or a
 *                     scorer's source name)
 * @param correlation  the label/score agreement measure of the correlation column, or null
 *                     when the map has none
 * @param created      when the map was built
 * @param admapVersion the admap version that built it
 */
public record MapProvenance(String scoreSource, String correlation, Instant created, String admapVersion) {
}
