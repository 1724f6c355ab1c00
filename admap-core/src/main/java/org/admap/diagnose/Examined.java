package org.admap.diagnose;

import java.util.List;
import org.admap.model.MapPoint;

/**
 * What the {@link Diagnoser} keeps of one examined instruction of the map, a few numbers and no
 * texts: the evidence its {@link FlagRule}s judge.
 *
 * @param point           its map point
 * @param main            the evidence of the map's scores, or null when the labels are not
 *                        independent of them
 * @param scorers         each scorer's evidence, in the options' order
 * @param scorersDefined  how many scorers have evidence
 * @param scorersAgainst  how many of those contradict the labels
 * @param scorerAgreement the mean pairwise Kendall tau-b of the scorers against the labels, or NaN
 */
record Examined(MapPoint point, Evidence main, List<Evidence> scorers, int scorersDefined, int scorersAgainst,
                double scorerAgreement) {
}
