package org.admap.internal.score.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.admap.Progress;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunStore;
import org.admap.score.ScoringAbortedException;
import org.admap.score.ScoringFixtures;
import org.admap.score.ScoringReport;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server that redirects elsewhere gets neither the key nor the right to answer for the real one. */
class ApiClientRedirectTest {

    private static final String KEY = "sk-redirect-test-key-0123456789";

    StandInServer server;
    StandInServer elsewhere;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
        elsewhere = StandInServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    private static String origin(StandInServer s) {
        return s.root(); // http://127.0.0.1:PORT
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectToAnotherPortIsRefusedNamingBothOriginsAndTheKeyStaysHome(int status) {
        server.redirectTo(status, elsewhere.root());
        ApiClient client = ScoringFixtures.client(server.baseUrl(), KEY, Duration.ofSeconds(5));

        assertThatThrownBy(() -> client.postJson("/chat/completions",
                new ObjectMapper().createObjectNode().put("model", "m"), 10))
                .isInstanceOf(ScoringAbortedException.class)
                .hasMessageContaining("refusing a redirect (HTTP " + status + ")")
                .hasMessageContaining("from " + origin(server))
                .hasMessageContaining("to " + origin(elsewhere))
                .hasMessageNotContaining(KEY)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(elsewhere.requests()).isZero();
        assertThat(elsewhere.authorizations()).isEmpty();
    }

    @Test
    void aJudgeBehindARedirectStoresNoScoreFromTheOtherServer(@TempDir Path dir) throws Exception {
        server.redirectTo(307, elsewhere.root());
        ApiClient client = ScoringFixtures.client(server.baseUrl(), KEY, Duration.ofSeconds(5));
        try (RunStore store = ScoringFixtures.demoStore(dir)) {
            ScoringReport report = new ScoringJob(store, ScoringFixtures.judge(client, false, false), "judge",
                    ScoringFixtures.options(4), Progress.Factory.NONE).run();

            assertThat(report.abortReason()).contains(origin(server)).contains(origin(elsewhere));
            assertThat(report.scored()).isZero();
            assertThat(store.scoreTotals("judge").ok()).isZero();
        }
        assertThat(elsewhere.requests()).isZero();
        assertThat(elsewhere.authorizations()).isEmpty();
    }
}
