/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Do not use these classes outside admap; they are the engine that runs a scorer over a run
 * store: concurrent calls, the writer thread, resume and stop signals ({@code ScoringJob}), and
 * what is pending and how results become rows ({@code PendingTasks}, shared with the Batch API
 * path).
 */
package org.admap.internal.score;
