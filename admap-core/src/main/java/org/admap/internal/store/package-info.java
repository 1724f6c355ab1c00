/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>The run store ({@code run.duckdb}) and the files of a run directory: how items,
 * scores, embeddings, batches and reviews are written and read back. A library user holds a
 * {@link org.admap.internal.store.RunStore} only as {@link org.admap.run.Run} hands it out and passes it on;
 * do not use any other class in this package; it may change without notice.
 */
package org.admap.internal.store;
