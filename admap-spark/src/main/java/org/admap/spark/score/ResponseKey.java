package org.admap.spark.score;

import java.io.Serializable;

/**
 * What a stored score is found by, within one scorer fingerprint: the instruction's prompt
 * hash and the response's text hash. Identical responses to the same instruction share it
 * and are scored once.
 *
 * @param promptHash   the instruction's prompt hash
 * @param responseHash the response's text hash
 */
public record ResponseKey(String promptHash, String responseHash) implements Serializable {
}
