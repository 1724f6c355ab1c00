package org.admap.score.http;

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
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("--max-retries must be at least 0, got " + maxRetries);
        }
    }

    /** 6 retries, from 1 s up to 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
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
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(ms.get().trim())));
            } catch (NumberFormatException ignored) {
                // fall through to the other headers
            }
        }
        Optional<String> after = headers.firstValue("retry-after");
        if (after.isPresent()) {
            String v = after.get().trim();
            try {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
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
        return any && end == text.trim().length() ? Optional.of(Duration.ofMillis((long) Math.ceil(millis)))
                : Optional.empty();
    }
}
