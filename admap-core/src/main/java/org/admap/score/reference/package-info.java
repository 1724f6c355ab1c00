/**
 * The reference scorer: scores a response by its similarity to the instruction's reference answer
 * (sentence-embedding cosine, or ROUGE-L), with embeddings cached in the run store.
 */
package org.admap.score.reference;
