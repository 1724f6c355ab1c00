/**
 * The map stage: builds an {@link org.admap.map.AlignmentMap} from scored instructions (quality,
 * variability, region), estimates the stability of its regions and writes map.csv. Uses
 * {@link org.admap.stats} for its statistics; its byte codecs live in {@link org.admap.internal.map}.
 */
package org.admap.map;
