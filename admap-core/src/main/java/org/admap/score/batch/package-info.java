/**
 * Scoring through the OpenAI Batch API: half the price of live calls, answers within a day.
 * {@link org.admap.score.batch.BatchScoring} submits, polls and imports the batches, recorded in the
 * run store so that an interrupted run resumes.
 */
package org.admap.score.batch;
