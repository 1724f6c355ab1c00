/**
 * Internal: not part of admap's API; may change without notice. Do not use any class in this
 * package or the packages under it outside admap.
 *
 * <p>The packages under {@code org.admap.internal} hold admap's machinery: the run store, the
 * columns file, the scan, the CSV and byte codecs, the HTTP client, the Hub download, image
 * reading, text keys and the engine of {@code admap inspect}. They are public only so that
 * admap's other modules (the CLI, the report, the tools, the Spark job) can call them. A program
 * that uses admap as a library starts from {@link org.admap.run.Run} and the other types that
 * {@code docs/architecture.md} lists under "Public API and internals".
 */
package org.admap.internal;
