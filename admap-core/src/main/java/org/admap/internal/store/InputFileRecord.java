package org.admap.internal.store;

import java.time.Instant;

/**
 * One input file of a run, as recorded in the store for provenance.
 *
 * @param inputId  the file's number in the run
 * @param path     the path as given
 * @param format   the detected file format
 * @param gzip     whether it was gzip-compressed
 * @param layout   the layout it was read in, in words
 * @param bytes    its size
 * @param modified its modification time
 * @param rowsRead rows read, good and bad
 * @param badRows  rows skipped as bad
 */
public record InputFileRecord(int inputId, String path, String format, boolean gzip, String layout, long bytes,
                              Instant modified, long rowsRead, long badRows) {
}
