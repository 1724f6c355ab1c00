/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Do not use these classes outside admap;
 * they are the machinery of {@link org.admap.map}: the byte-level writer's codecs behind
 * map.csv (shortest round-trip decimals, a cache of number texts, JSON-to-CSV string
 * transcoding, a UTF-8 byte buffer, points looked up by key) and the quickselect that
 * assigns the regions by rank without a full sort; and the engines behind
 * {@link org.admap.run.Run#map}: {@link org.admap.internal.map.MapJob} (the map of a store's
 * scores) and {@link org.admap.internal.map.MapCsv} (map.csv, byte for byte).
 */
package org.admap.internal.map;
