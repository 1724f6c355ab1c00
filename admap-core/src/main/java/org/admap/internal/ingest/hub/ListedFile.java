package org.admap.internal.ingest.hub;

/**
 * A file as the Hub's tree listing gives it.
 *
 * @param path   its path in the dataset
 * @param size   its size in bytes; -1 when not listed
 * @param sha256 its SHA-256 (the {@code lfs.oid} of a file stored with LFS), lower case, or null
 * @param gitOid its git blob id when it has no SHA-256, or null
 */
record ListedFile(String path, long size, String sha256, String gitOid) {
}
