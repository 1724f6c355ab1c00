package org.admap.internal.score.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringReport;
import org.admap.score.Usage;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Answers too large, too slow or asking too long a wait fail the call, and errors end a run cleanly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiClientLimitsTest {

    @TempDir
    Path dir;
    StandInServer server;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiClient client(Duration timeout, long maxBody) {
        return new ApiClient(new ApiClient.ApiSettings(URI.create(server.baseUrl()), null, timeout,
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50)), RateLimiter.unlimited(), null,
                maxBody));
    }

    private static ObjectNode chat() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("model", "m");
        body.putArray("messages").addObject().put("role", "user").put("content", "Write something.");
        return body;
    }

    @Test
    void anAnswerLargerThanTheLimitIsAFailedCallReadNoFurther() {
        server.hugeBody(40L << 20); // 40 MB, streamed without a length
        ApiClient client = client(Duration.ofSeconds(30), 1L << 20);

        assertThatThrownBy(() -> client.postJson("/chat/completions", chat(), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("larger than the limit of 1 MB (--max-response-mb)");
        assertThat(server.requests()).isEqualTo(1); // not retried: it would be as large again
    }

    @Test
    void aJudgeWhoseAnswersAreTooLargeRecordsFailedScoresWithTheReason() throws Exception {
        server.hugeBody(8L << 20);
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            ScoringReport report = new ScoringJob(store, ScoringFixtures.judge(client(Duration.ofSeconds(30),
                    1L << 20), false, false), "judge", ScoringFixtures.options(4), Progress.Factory.NONE).run();

            assertThat(report.scored()).isZero();
            assertThat(report.failed()).isEqualTo(200);
            assertThat(store.scoreErrors("judge", 1).keySet()).singleElement().asString()
                    .contains("larger than the limit of 1 MB");
        }
    }

    @Test
    void anAnswerLargerThanTheDefaultLimitIsAFailedCall() {
        server.hugeBody(80L << 20);
        ApiClient client = new ApiClient(new ApiClient.ApiSettings(URI.create(server.baseUrl()), null,
                Duration.ofSeconds(60), new RetryPolicy(0, Duration.ofMillis(10), Duration.ofMillis(50)),
                RateLimiter.unlimited(), null));

        assertThatThrownBy(() -> client.postJson("/chat/completions", chat(), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("larger than the limit of 64 MB");
    }

    @Test
    void theDefaultLimitIsSaneAndAnAnswerUnderItIsRead() throws Exception {
        assertThat(ApiClient.DEFAULT_MAX_BODY_BYTES).isEqualTo(64L << 20);
        server.hugeBody(2L << 20); // 2 MB of padding in a valid answer
        ApiResponse r = client(Duration.ofSeconds(30), ApiClient.DEFAULT_MAX_BODY_BYTES)
                .postJson("/chat/completions", chat(), 10);
        assertThat(r.json().path("choices").path(0).path("message").path("content").asText()).isNotEmpty();
    }

    @Test
    void theTimeoutIsADeadlineOnTheWholeExchangeBodyIncluded() {
        server.dripBody(300); // headers at once, then a byte every 0.3 s: about 90 s for the answer
        ApiClient client = new ApiClient(new ApiClient.ApiSettings(URI.create(server.baseUrl()), null,
                Duration.ofSeconds(1), new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(50)),
                RateLimiter.unlimited(), null));

        assertThatThrownBy(() -> client.postJson("/chat/completions", chat(), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("gave up after 2 attempts")
                .hasMessageContaining("no whole answer within 1 s");
        assertThat(server.requests()).isEqualTo(2);
    }

    /** A scorer whose calls run out of memory, as a client thread did reading a 300 MB answer. */
    private static final class OutOfMemory implements Scorer {
        @Override
        public ScorerConfig config() {
            return ScorerConfig.of("judge", "oom", "1", Map.of(), "http://127.0.0.1:1");
        }

        @Override
        public boolean wholeItems() {
            return false;
        }

        @Override
        public List<ScoreOutcome> score(ScoreTask task) {
            throw new OutOfMemoryError("Java heap space");
        }

        @Override
        public Usage estimate(ScoreTask task) {
            return Usage.NONE;
        }
    }

    @Test
    void anErrorOnAScoringThreadEndsTheRunCleanlyWithTheReason() throws Exception {
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            ScoringReport report = new ScoringJob(store, new OutOfMemory(), "judge", ScoringFixtures.options(4),
                    Progress.Factory.NONE).run();

            assertThat(report.abortReason()).contains("OutOfMemoryError").contains("--max-response-mb");
            assertThat(report.calls()).isLessThan(200);
        }
    }
}
