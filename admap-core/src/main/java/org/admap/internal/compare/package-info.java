/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Do not use these classes outside admap; they are the engine of {@code admap compare} on run
 * stores ({@code CompareJob}); the comparison's result is {@link org.admap.compare.MapComparison}.
 */
package org.admap.internal.compare;
