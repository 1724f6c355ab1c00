/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>The full ingest's engines that are no API of their own: gzip input whose errors name the
 * file. Read data through {@link org.admap.ingest.DatasetReader} instead. The scan ({@code .scan})
 * and the Hub download ({@code .hub}) are in the packages under this one.
 */
package org.admap.internal.ingest;
