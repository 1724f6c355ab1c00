package org.admap.select;

import org.admap.model.Response;

/**
 * One DPO training pair.
 *
 * @param chosen         the preferred response
 * @param rejected       the other
 * @param valueChosen    the value that ranked them (label or score) of the chosen one
 * @param valueRejected  the same of the rejected one
 */
public record Pair(Response chosen, Response rejected, double valueChosen, double valueRejected) {
}
