package org.admap.internal.score.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When and how long to wait before trying a request again: exponential backoff with jitter
 * for server errors and timeouts, and for rate limits the wait the server asks for
 * ({@code Retry-After}, {@code retry-after-ms}, or the {@code x-ratelimit-reset-*} headers
 * OpenAI sends), falling back to backoff.
 *
 * @param maxRetries   retries after the first attempt
 * @param initialDelay the first backoff delay; each retry doubles it
 * @param maxDelay     the longest wait
 * @param maxRequestedWait the longest wait a server may ask for ({@code Retry-After}...): a
 *                     server asking for more fails the request at once rather than holding
 *                     the run for hours in silence
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay, Duration maxRequestedWait) {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    /** The default of {@link #maxRequestedWait}: minutes, not hours. */
    public static final Duration DEFAULT_MAX_REQUESTED_WAIT = Duration.ofMinutes(10);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("--max-retries must be at least 0, got " + maxRetries);
        }
        if (maxRequestedWait == null || maxRequestedWait.isNegative()) {
            throw new IllegalArgumentException("--max-retry-wait must not be negative, got " + maxRequestedWait);
        }
    }

    /** A policy that waits up to {@link #DEFAULT_MAX_REQUESTED_WAIT} where a server asks. */
    public RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {
        this(maxRetries, initialDelay, maxDelay, DEFAULT_MAX_REQUESTED_WAIT);
    }

    /** 6 retries, from 1 s up to 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** This policy with another longest requested wait. */
    public RetryPolicy withMaxRequestedWait(Duration wait) {
        return new RetryPolicy(maxRetries, initialDelay, maxDelay, wait);
    }

    /** The header that asked for a wait, as {@code Name: value}, for messages; empty when none did. */
    public static String requestHeader(HttpHeaders headers) {
        for (String name : new String[] {"retry-after-ms", "Retry-After", "x-ratelimit-reset-requests",
                "x-ratelimit-reset-tokens"}) {
            Optional<String> v = headers.firstValue(name);
            if (v.isPresent()) {
                String value = v.get().strip();
                return name + ": " + (value.length() > 40 ? value.substring(0, 40) + "..." : value);
            }
        }
        return "";
    }

    /** A duration in words: {@code 2.5 s}, {@code 4 min 10 s}, {@code 27 h 46 min}. */
    public static String inWords(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    /**
     * The backoff before retry number {@code retry} (1-based): the doubled delay, capped, with
     * "equal jitter" (half fixed, half random) so that many clients do not retry in step.
     */
    public Duration backoff(int retry) {
        double base = initialDelay.toNanos() * Math.pow(2, Math.min(retry - 1, 30));
        double capped = Math.min(base, maxDelay.toNanos());
        double jittered = capped / 2 + ThreadLocalRandom.current().nextDouble() * capped / 2;
        return Duration.ofNanos((long) jittered);
    }

    /** The wait a rate-limited (429) answer asks for, if its headers say. */
    public static Optional<Duration> requestedWait(HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(millis(Double.parseDouble(ms.get().trim())));
            } catch (NumberFormatException ignored) {
                // fall through to the other headers
            }
        }
        Optional<String> after = headers.firstValue("retry-after");
        if (after.isPresent()) {
            String v = after.get().trim();
            try {
                return Optional.of(millis(Double.parseDouble(v) * 1000));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException ignored) {
                    // fall through
                }
            }
        }
        Optional<Duration> requests = headers.firstValue("x-ratelimit-reset-requests").flatMap(RetryPolicy::goDuration);
        Optional<Duration> tokens = headers.firstValue("x-ratelimit-reset-tokens").flatMap(RetryPolicy::goDuration);
        if (requests.isPresent() || tokens.isPresent()) {
            Duration r = requests.orElse(Duration.ZERO);
            Duration t = tokens.orElse(Duration.ZERO);
            return Optional.of(r.compareTo(t) >= 0 ? r : t);
        }
        return Optional.empty();
    }

    /** Milliseconds as a duration: negative and NaN as zero, beyond a century as a century (no overflow). */
    private static Duration millis(double ms) {
        if (!(ms > 0)) {
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) Math.min(ms, 100 * 365.25 * 86_400_000));
    }

    /** Parses OpenAI's Go-style durations: {@code 1s}, {@code 20ms}, {@code 6m0s}, {@code 1h2m3.5s}. */
    static Optional<Duration> goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text.trim());
        double millis = 0;
        int end = 0;
        boolean any = false;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double v = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "h" -> v * 3_600_000;
                case "m" -> v * 60_000;
                case "s" -> v * 1000;
                default -> v;
            };
            end = m.end();
            any = true;
        }
        return any && end == text.trim().length() ? Optional.of(millis(Math.ceil(millis)))
                : Optional.empty();
    }
}
