/**
 * The LLM-judge scorer: asks a chat model to rate responses on a rubric and reads the score out of
 * its reply (or its log-probabilities). Talks to servers only through {@link org.admap.internal.score.http}.
 */
package org.admap.score.judge;
