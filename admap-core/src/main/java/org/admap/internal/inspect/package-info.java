/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>{@code admap inspect}: what admap makes of a dataset before any run (layout and why, field
 * mapping, rows per prompt, scores and labels, a sample, the warnings a map would give).
 */
package org.admap.internal.inspect;
