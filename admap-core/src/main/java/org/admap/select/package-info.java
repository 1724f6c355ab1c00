/**
 * The select stage: picks the instructions of a map region (or a share of it) and exports them,
 * or their preference pairs, for training (TRL/DPO JSON lines, Parquet, with images).
 * Reads the run store and the map; writes only the export files it is asked for.
 */
package org.admap.select;
