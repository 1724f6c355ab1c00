/**
 * The score stage: the {@link org.admap.score.Scorer} interface that gives responses their
 * alignment scores, and the {@link org.admap.internal.score.ScoringJob} that runs a scorer over a run with
 * caching, resuming, concurrency and a budget. The scorers themselves live in the subpackages.
 */
package org.admap.score;
