package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.admap.testing.HubFixture;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap map hf://datasets/...} end to end, the Hub played by the stand-in. */
class MapHubCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "hf_CliTestTokenNeverShown0123456789";
    private static final String TRAIN = "/datasets/acme/prefs/resolve/main/data/train.jsonl";

    @TempDir
    Path tmp;
    StandInServer server;
    Path cache;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start().hubDataset("acme/prefs", HubFixture.preferenceDataset(tmp.resolve("repo")));
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Cli.Result map(String input, Path out) {
        return Cli.run("map", input, "--out", out.toString(), "--hf-endpoint", server.root(), "--hf-cache",
                cache.toString());
    }

    @Test
    void mapsAHubDatasetAndASecondRunTakesItFromTheCache() throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result r = map("hf://datasets/acme/prefs", run);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("hf://datasets/acme/prefs@main: 2 data files").contains("(2 downloaded, 0 from"
                + " the cache; in " + cache.resolve("datasets/acme/prefs/main").toAbsolutePath() + ")");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/run/items").asLong()).isEqualTo(HubFixture.ITEMS);
        assertThat(Files.readAllLines(run.resolve("map.csv"))).hasSize(HubFixture.ITEMS + 1);
        assertThat(runInfo(run, "input.hub.1")).startsWith("hf://datasets/acme/prefs@main: data/test.parquet (")
                .contains("data/train.jsonl (");

        Cli.Result again = map("hf://datasets/acme/prefs/data/train.jsonl", tmp.resolve("run2"));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("1 data file, ").contains("(0 downloaded, 1 from the cache");
        assertThat(server.requests(TRAIN)).isEqualTo(1);
    }

    @Test
    void hubAndLocalInputsGoIntoOneRun() throws Exception {
        Path local = tmp.resolve("local.jsonl");
        Files.writeString(local, "{\"prompt\": \"Local?\", \"responses\": [{\"text\": \"yes\", \"score\": 2},"
                + " {\"text\": \"no\", \"score\": 1}]}\n");
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", local.toString(), "hf://datasets/acme/prefs/data", "--out", run.toString(),
                "--hf-endpoint", server.root(), "--hf-cache", cache.toString(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(JSON.readTree(run.resolve("summary.json").toFile()).at("/run/items").asLong())
                .isEqualTo(HubFixture.ITEMS + 1);
    }

    @Test
    void anUnknownDatasetFailsWithOneLineAndLeavesNoRun() {
        Path run = tmp.resolve("run");
        Cli.Result r = map("hf://datasets/acme/nope", run);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).startsWith("admap: error: hf://datasets/acme/nope@main: repository"
                + " not found");
        assertThat(run).doesNotExist();
    }

    @Test
    void aPathWithoutDataFilesFailsWithOneLine() {
        Cli.Result r = map("hf://datasets/acme/prefs/docs", tmp.resolve("run"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).contains("no data files").contains("under 'docs'");
    }

    @Test
    void aGatedDatasetWithoutATokenSaysToSetHfToken() {
        server.hubRequireToken(TOKEN);
        Cli.Result r = map("hf://datasets/acme/prefs", tmp.resolve("run"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1).contains("access denied (HTTP 401)").contains("set HF_TOKEN");
    }

    @Test
    void aBadAddressIsRefusedSayingTheForm() {
        Cli.Result r = map("hf://models/acme/prefs", tmp.resolve("run"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("hf://datasets/OWNER/NAME[/PATH][@REVISION]");
        assertThat(server.requests()).isZero();
    }

    @Test
    void theHelpNamesHubInputsAndTheEndpointOption() {
        Cli.Result r = Cli.run("map", "--help");
        assertThat(r.out()).contains("hf://datasets/OWNER/NAME[/PATH][@REVISION]").contains("--hf-endpoint=URL")
                .contains("--hf-cache=DIR").contains("HF_TOKEN");
    }

    /** A separate admap process with HF_TOKEN in its environment, as a user runs it. */
    @Test
    void theTokenFromHfTokenIsSentButNeverPrintedOrStored() throws Exception {
        server.hubRequireToken(TOKEN);
        Path run = tmp.resolve("run");
        Process p = admap(TOKEN, "map", "hf://datasets/acme/prefs", "--out", run.toString(), "--hf-endpoint",
                server.root(), "--hf-cache", cache.toString());
        String out = Files.readString(tmp.resolve("out.txt")) + Files.readString(tmp.resolve("err.txt"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(server.authorizations()).contains("Bearer " + TOKEN);
        assertThat(out).contains("2 data files").doesNotContain(TOKEN);
        List<Path> written = new ArrayList<>();
        try (Stream<Path> a = Files.walk(run); Stream<Path> b = Files.walk(cache)) {
            a.filter(Files::isRegularFile).forEach(written::add);
            b.filter(Files::isRegularFile).forEach(written::add);
        }
        assertThat(written).isNotEmpty();
        for (Path f : written) {
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                    .doesNotContain(TOKEN);
        }

        Process refused = admap("hf_SomeOtherToken0000000000000", "map", "hf://datasets/acme/prefs", "--out",
                tmp.resolve("run2").toString(), "--hf-endpoint", server.root(), "--hf-cache",
                tmp.resolve("cache2").toString());
        String err = Files.readString(tmp.resolve("err.txt"));
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(err).contains("HF_TOKEN was refused").doesNotContain("hf_SomeOther");
    }

    private Process admap(String token, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.admap.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("HF_TOKEN", token);
        pb.environment().remove("HF_ENDPOINT");
        pb.redirectOutput(tmp.resolve("out.txt").toFile());
        pb.redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("admap finished in time").isTrue();
        return p;
    }

    private static String runInfo(Path run, String key) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + run.resolve("run.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM run_info WHERE key = '" + key + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
