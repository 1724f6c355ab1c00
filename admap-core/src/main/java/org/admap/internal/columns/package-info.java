/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>A run's numbers as columns in one file ({@code columns.bin}), so that diagnose and
 * select on a scanned run need no store, with texts read back from the inputs by offset. Do not use
 * any class in this package; it may change without notice. Go through {@link org.admap.run.Run} instead.
 */
package org.admap.internal.columns;
