package org.admap.spark.score;

import java.util.HashMap;
import java.util.Map;
import org.admap.internal.score.http.RateLimiter;

/**
 * One rate limiter per scorer per executor JVM, shared by all tasks the executor runs at once
 * (each with its own client): the executor's share of the global limit holds however many
 * of its cores are scoring.
 */
final class ExecutorLimiters {

    private static final Map<String, RateLimiter> LIMITERS = new HashMap<>();

    private ExecutorLimiters() {
    }

    /** This JVM's limiter for a scorer, given the number of executors the limit is divided among. */
    static synchronized RateLimiter get(ScorerSpec spec, int executors) {
        return LIMITERS.computeIfAbsent(spec.toString() + "|" + executors, k -> spec.executorLimiter(executors));
    }
}
