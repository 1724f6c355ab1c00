/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>The keys by which texts are compared for duplicates, written once so that the scan and the
 * full ingest agree. Depends only on the JDK.
 */
package org.admap.internal.text;
