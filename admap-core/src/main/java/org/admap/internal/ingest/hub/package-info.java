/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Hugging Face Hub inputs: parses {@code hf://} addresses and downloads a dataset's data files
 * into a local cache, so that the ingest reads local files only. The one place of admap that
 * talks to the Hub.
 */
package org.admap.internal.ingest.hub;
