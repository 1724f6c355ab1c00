package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.admap.score.Endpoint;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores are reused only where they were made: a second server is called even when it names
 * the same model, unless the user says both serve the same one ({@code --reuse-across-endpoints}),
 * and then each copy names the source and the server it came from.
 */
class ScoreAcrossEndpointsTest {

    private static final String NO_KEY = "ADMAP_TEST_NO_SUCH_KEY_VARIABLE";

    @TempDir
    Path tmp;
    StandInServer a;
    StandInServer b;
    Path run;

    @BeforeEach
    void start() throws Exception {
        a = StandInServer.start();
        b = StandInServer.start();
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private Cli.Result judge(StandInServer server, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("score", run.toString(), "--scorer", "judge", "--name", name,
                "--base-url", server.baseUrl(), "--model", "same-model", "--api-key-env", NO_KEY, "-q"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The distinct (endpoint, raw output prefix) of a source's rows. */
    private List<String> provenance(String source) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.resolve("run.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT endpoint, CASE WHEN raw_output LIKE 'copied:%'"
                     + " THEN raw_output ELSE 'called' END FROM scores WHERE source = '" + source
                     + "' ORDER BY 1, 2")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " | " + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void anotherServerIsCalledEvenForTheSameModelAndOptions() throws Exception {
        Cli.Result first = judge(a, "serverA");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(a.requests("/v1/chat/completions")).isEqualTo(200);

        Cli.Result second = judge(b, "serverB");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.out()).contains("serverB: scored 200, failed 0, copied 0").contains("200 calls")
                .contains("endpoint judge: same-model at " + Endpoint.key(b.baseUrl()));
        assertThat(b.requests("/v1/chat/completions")).isEqualTo(200);
        assertThat(provenance("serverB")).containsExactly(b.baseUrl() + " | called");
    }

    @Test
    void reuseAcrossEndpointsCopiesWithoutACallAndTheCopiesNameTheirSource() throws Exception {
        assertThat(judge(a, "serverA").exit()).isZero();
        int before = b.requests();

        Cli.Result shared = judge(b, "viaProxy", "--reuse-across-endpoints");
        assertThat(shared.exit()).as(shared.toString()).isZero();
        assertThat(shared.out()).contains("viaProxy: scored 0, failed 0, copied 200").contains("0 calls");
        assertThat(b.requests()).isEqualTo(before);
        // Each copy keeps the endpoint it was made at and names the source: never B's as if B had answered.
        assertThat(provenance("viaProxy")).containsExactly(a.baseUrl() + " | copied: identical instruction and"
                + " response scored before by 'serverA' at " + Endpoint.key(a.baseUrl()));

        // A copy made at A does not count as B's own score: B's own source still calls B.
        Cli.Result own = judge(b, "serverB");
        assertThat(own.exit()).as(own.toString()).isZero();
        assertThat(b.requests("/v1/chat/completions")).isEqualTo(200);
    }

    @Test
    void aSourceGoesOnAtItsOwnServerOnlyUnlessTheUserSaysTheyServeTheSameModel() throws Exception {
        assertThat(judge(a, "judge").exit()).isZero();

        Cli.Result moved = judge(b, "judge");
        assertThat(moved.exit()).isEqualTo(2);
        assertThat(moved.err().strip()).hasLineCount(1).contains("'judge'").contains(Endpoint.key(a.baseUrl()))
                .contains(Endpoint.key(b.baseUrl())).contains("--name").contains("--reuse-across-endpoints");
        assertThat(b.requests()).isZero();

        Cli.Result allowed = judge(b, "judge", "--reuse-across-endpoints");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).contains("judge: scored 0, failed 0, copied 0, already scored 200");
        assertThat(b.requests()).isZero();
    }

    @Test
    void scoresStoredBeforeTheEndpointWasCheckedAreReusedAtTheSameServer() throws Exception {
        assertThat(judge(a, "judge").exit()).isZero();
        // Rows as an earlier admap wrote them: the same fingerprint (the endpoint was never part of it) and
        // the base URL as it was typed, here with a trailing slash; half of them lost to a kill.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.resolve("run.duckdb"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE scores SET endpoint = '" + a.baseUrl() + "/' WHERE source = 'judge'");
            st.executeUpdate("UPDATE score_sources SET endpoint = '" + a.baseUrl() + "/' WHERE source = 'judge'");
            st.executeUpdate("DELETE FROM scores WHERE source = 'judge' AND item_key % 2 = 0");
        }
        int calls = a.requests("/v1/chat/completions");

        Cli.Result resumed = judge(a, "judge");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        int deleted = a.requests("/v1/chat/completions") - calls;
        assertThat(deleted).isPositive().isLessThan(200); // only what was deleted, nothing paid twice
        assertThat(resumed.out()).contains("already scored " + (200 - deleted));

        Cli.Result copied = judge(a, "judge-again");
        assertThat(copied.exit()).as(copied.toString()).isZero();
        assertThat(copied.out()).contains("copied 200").contains("0 calls");
        assertThat(a.requests("/v1/chat/completions") - calls).isEqualTo(deleted);
    }
}
