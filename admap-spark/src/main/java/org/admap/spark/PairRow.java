package org.admap.spark;

import java.io.Serializable;

/**
 * One DPO pair as the job writes it: TRL's columns ({@code prompt, chosen, rejected,
 * score_chosen, score_rejected}), as the single machine's Parquet export has them, plus the
 * instruction's key and id and the pair's position among its pairs, so the file can be put
 * back in the single machine's order ({@code ORDER BY key, pair}) or joined with the map.
 *
 * @param key           the instruction's key
 * @param id            the instruction's id
 * @param pair          0-based position among the instruction's pairs
 * @param prompt        the full prompt (instruction, then the alpaca input after a blank line)
 * @param chosen        the preferred response
 * @param rejected      the other
 * @param scoreChosen   the chosen response's score on the map's source (NaN, written as null, when
 *                      either response has none), as the single machine's exports hold it
 * @param scoreRejected the same of the rejected one
 */
public record PairRow(int key, String id, int pair, String prompt, String chosen, String rejected,
                      double scoreChosen, double scoreRejected) implements Serializable {
}
