/**
 * The reward scorer: an explicit reward model served over HTTP, one reward per response.
 */
package org.admap.score.reward;
