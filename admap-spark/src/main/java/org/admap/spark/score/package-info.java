/**
 * Scoring on Apache Spark: the core's scorers run on the executors over responses keyed by
 * (prompt hash, response hash), with per-executor rate limits and score chunks committed to a
 * store of its own so that a failed task resumes.
 */
package org.admap.spark.score;
