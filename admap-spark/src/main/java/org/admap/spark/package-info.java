/**
 * The map and diagnose stages on Apache Spark, for inputs too large for one machine: reads the
 * inputs as splits, assembles items, ranks them globally and writes the same map.csv (and Parquet)
 * as a local run. Launched by {@link org.admap.spark.SparkMain}; uses the core's model, ingest and
 * diagnosis, never its run store.
 */
package org.admap.spark;
