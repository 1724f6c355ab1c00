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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringReport;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A rate-limited server may ask for a wait up to --max-retry-wait; the wait is shown; a longer one fails. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // today's code obeyed Retry-After: 100000 (28 hours)
class ApiClientRetryWaitTest {

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

    private ApiClient client(RetryPolicy retry) {
        return new ApiClient(new ApiClient.ApiSettings(URI.create(server.baseUrl()), null, Duration.ofSeconds(10),
                retry, RateLimiter.unlimited(), null));
    }

    private static ObjectNode chat() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("model", "m");
        body.putArray("messages").addObject().put("role", "user").put("content", "Write something.");
        return body;
    }

    @Test
    void aRetryAfterOfHoursFailsTheCallAtOnceSayingWhatWasAsked() {
        server.rateLimitFirst(1, Map.of("Retry-After", "100000"));
        ApiClient client = client(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));

        assertThatThrownBy(() -> client.postJson("/chat/completions", chat(), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("asks to wait 27 h 46 min (Retry-After: 100000)")
                .hasMessageContaining("more than --max-retry-wait 10 min 0 s");
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void aRetryAfterMsBeyondTheCapFailsTooAndHugeValuesDoNotOverflow() {
        server.rateLimitFirst(2, Map.of("retry-after-ms", "99999999999"));
        ApiClient client = client(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(30)));
        assertThatThrownBy(() -> client.postJson("/chat/completions", chat(), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("(retry-after-ms: 99999999999)")
                .hasMessageContaining("more than --max-retry-wait 30.0 s");

        server.rateLimitFirst(4, Map.of("Retry-After", "1e300"));
        assertThatThrownBy(() -> client.postJson("/chat/completions", chat(), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("(Retry-After: 1e300)");
    }

    @Test
    void aWaitUnderTheCapIsObeyedAndShownOnTheProgressLine() throws Exception {
        server.rateLimitFirst(1, Map.of("Retry-After", "2.5"));
        ApiClient client = client(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
        List<String> statuses = new CopyOnWriteArrayList<>();
        Progress.Factory progress = (task, total, unit) -> new Progress() {
            @Override
            public void advanceTo(long done) {
            }

            @Override
            public void status(String text) {
                statuses.add(text);
            }

            @Override
            public void close() {
            }
        };
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            ScoringReport report = new ScoringJob(store, ScoringFixtures.judge(client, false, false), "judge",
                    ScoringFixtures.options(2), progress).run();

            assertThat(report.failed()).isZero();
            assertThat(report.scored() + report.cached()).isEqualTo(200);
        }
        assertThat(statuses).anySatisfy(s -> assertThat(s).contains("waiting ")
                .contains(": rate limited (HTTP 429) by 127.0.0.1, as asked (Retry-After: 2.5)"));
    }
}
