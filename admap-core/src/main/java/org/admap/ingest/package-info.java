/**
 * The full ingest: reads preference-data files (JSON lines, JSON array, CSV/TSV, Parquet,
 * optionally gzip) in any supported layout into {@link org.admap.model.Item}s, one at a time.
 * Start with {@link org.admap.ingest.DatasetReader}. Knows nothing of the store, the map or scoring.
 */
package org.admap.ingest;
