/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>The fast scan of ids and scores that {@code admap map} uses on large JSON-lines,
 * JSON-array, CSV/TSV and Parquet inputs instead of the full ingest, with its own byte-level
 * lexer. Do not use any class in this package; it may change without notice. Use
 * {@link org.admap.ingest.DatasetReader} or {@link org.admap.run.Run#create} instead.
 */
package org.admap.internal.ingest.scan;
