/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Do not use these classes outside admap; they are the files of a run directory that {@link
 * org.admap.run.Run} writes and reads back (summary.json, diagnosis.json, comparison.json, the
 * flags kept for a deferred store, the JSON files' atomic writing), the rule for files a command
 * writes where the user says ({@code --out}), and the full-disk message.
 */
package org.admap.internal.run;
