package org.admap.score;

import java.util.Map;

/**
 * The result of scoring one response: a value, or a failure with its reason. A failure is
 * stored as such and never turned into a number.
 *
 * @param position  the response's position within its instruction
 * @param value     the score, NaN when failed
 * @param error     why it failed, null when it did not
 * @param rawOutput what the model answered (for audit and for re-parsing), may be null
 * @param usage     this response's share of the call's tokens and cost
 * @param latencyMs wall time of the call(s), retries included
 * @param attempts  HTTP attempts made (1 when the first succeeded)
 * @param callOrder for calls scoring several responses: the order they were shown in, as
 *                  response positions ("2,0,3,1"); null otherwise
 * @param aspects   sub-scores by aspect name (judge with aspects), empty otherwise
 * @param spread    the standard deviation of the judge's score distribution (log-probabilities), NaN if none
 * @param method    how the value was obtained: {@code plain}, {@code logprobs} or {@code logprobs-fallback}
 */
public record ScoreOutcome(int position, double value, String error, String rawOutput, Usage usage, long latencyMs,
                           int attempts, String callOrder, Map<String, Double> aspects, double spread,
                           String method) {

    /** A value read from the answer's text. */
    public static final String PLAIN = "plain";
    /** The expected score over the judge's log-probabilities. */
    public static final String LOGPROBS = "logprobs";
    /** The plain value, where log-probabilities were asked for (--logprobs auto) but could not be used. */
    public static final String LOGPROBS_FALLBACK = "logprobs-fallback";

    public ScoreOutcome {
        aspects = aspects == null ? Map.of() : Map.copyOf(aspects);
        if (error == null && (Double.isNaN(value) || Double.isInfinite(value))) {
            throw new IllegalArgumentException("a successful score must be a finite number, got " + value);
        }
    }

    public static ScoreOutcome ok(int position, double value, String rawOutput, Usage usage, long latencyMs,
                                  int attempts) {
        return new ScoreOutcome(position, value, null, rawOutput, usage, latencyMs, attempts, null, Map.of(),
                Double.NaN, PLAIN);
    }

    public static ScoreOutcome failed(int position, String error, String rawOutput, Usage usage, long latencyMs,
                                      int attempts) {
        return new ScoreOutcome(position, Double.NaN, error, rawOutput, usage, latencyMs, attempts, null, Map.of(),
                Double.NaN, PLAIN);
    }

    public boolean isOk() {
        return error == null;
    }

    public ScoreOutcome withCallOrder(String order) {
        return new ScoreOutcome(position, value, error, rawOutput, usage, latencyMs, attempts, order, aspects, spread,
                method);
    }

    public ScoreOutcome withAspects(Map<String, Double> values) {
        return new ScoreOutcome(position, value, error, rawOutput, usage, latencyMs, attempts, callOrder, values,
                spread, method);
    }

    /** This outcome with another value, its spread and how it was obtained. */
    public ScoreOutcome withMethod(double newValue, double newSpread, String newMethod) {
        return new ScoreOutcome(position, newValue, error, rawOutput, usage, latencyMs, attempts, callOrder, aspects,
                newSpread, newMethod);
    }
}
