/**
 * Internal: synthetic preference data of a known shape, for {@code admap generate} and the
 * benchmarks. Do not use any class in this package; it may change without notice.
 */
package org.admap.generate;
