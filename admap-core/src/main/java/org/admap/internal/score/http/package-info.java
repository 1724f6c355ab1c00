/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>The JSON-over-HTTP client the scorers share (retries with backoff, rate limits, capped
 * bodies, API keys kept out of messages). Do not use any class in this package; it may change
 * without notice.
 */
package org.admap.internal.score.http;
