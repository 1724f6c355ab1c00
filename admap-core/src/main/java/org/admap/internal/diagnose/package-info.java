/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Do not use these classes outside admap; they are the engine behind {@link
 * org.admap.run.Run#diagnose} on a run store ({@code DiagnoseJob}) and the writers of flags.csv
 * and flips.csv; the rules themselves are {@link org.admap.diagnose}.
 */
package org.admap.internal.diagnose;
