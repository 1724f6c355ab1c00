/**
 * The model-likelihood scorer (the paper's {@code sft} and {@code dpo} score methods): each
 * response's score is exp(mean token log-probability of the response given its prompt) under a
 * served causal language model, read from an OpenAI-compatible legacy completions endpoint that
 * echoes the prompt's tokens with their log-probabilities ({@code echo} and {@code logprobs}).
 *
 * <p>{@link org.admap.score.likelihood.LikelihoodTemplate} builds the text sent (the chat
 * template), {@link org.admap.score.likelihood.ResponseTokens} finds the response's tokens from
 * the returned text offsets, and {@link org.admap.score.likelihood.LikelihoodScorer} is the
 * {@link org.admap.score.Scorer}.
 */
package org.admap.score.likelihood;
