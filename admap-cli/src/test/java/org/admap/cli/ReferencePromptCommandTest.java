package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.testing.StandIn;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --reference-prompt paper}: the reference writer sends what the paper's gpt-inference.py sends. */
class ReferencePromptCommandTest {

    private static final String NO_KEY = "ADMAP_TEST_NO_SUCH_KEY_VARIABLE";
    private static final String PAPER_SYSTEM = "The assistant should provide users with accurate, relevant, and"
            + " up-to-date information, ensuring that the content is positive, interesting, engaging, educational,"
            + " and helpful.";

    @TempDir
    Path tmp;
    @StandIn
    StandInServer server;
    Path run;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("plain.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Name a prime.\", \"responses\": [{\"text\": \"7\", \"label\": 1},"
                        + " {\"text\": \"Nine.\", \"label\": 0}]}",
                "{\"prompt\": \"Name a colour.\", \"responses\": [{\"text\": \"Red\", \"label\": 1},"
                        + " {\"text\": \"A dog.\", \"label\": 0}]}"));
        run = tmp.resolve("run");
        Cli.Result mapped = Cli.run("map", data.toString(), "--out", run.toString(), "-q");
        assertThat(mapped.exit()).as(mapped.toString()).isZero();
    }

    @Test
    void thePaperPresetSendsTheirPromptMaxTokensAndModelAndIsStoredApartFromAdmaps() throws Exception {
        Cli.Result admap = Cli.run("score", run.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--base-url", server.baseUrl(), "--api-key-env", NO_KEY, "-q");
        assertThat(admap.exit()).as(admap.toString()).isZero();
        assertThat(server.chatBodies()).hasSize(2);
        JsonNode own = server.chatBodies().get(0);
        assertThat(own.path("messages").path(0).path("content").asText())
                .isEqualTo(org.admap.score.reference.ReferenceScorer.SYSTEM_PROMPT);
        assertThat(own.path("temperature").asDouble(-1)).isZero();

        Cli.Result paper = Cli.run("score", run.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--reference-prompt", "paper", "--name", "ref-paper", "--base-url", server.baseUrl(),
                "--api-key-env", NO_KEY, "-q");
        assertThat(paper.exit()).as(paper.toString()).isZero();
        assertThat(paper.out()).contains("ref-paper: scored 4, failed 0");
        // admap's stored references are not reused: the paper's are written again, with their request.
        List<JsonNode> bodies = server.chatBodies();
        assertThat(bodies).hasSize(4);
        for (JsonNode b : bodies.subList(2, 4)) {
            assertThat(b.path("model").asText()).isEqualTo("gpt-4o-2024-11-20");
            assertThat(b.path("max_tokens").asInt()).isEqualTo(1024);
            assertThat(b.has("temperature")).as(b.toString()).isFalse();
            assertThat(b.path("messages")).hasSize(2);
            assertThat(b.path("messages").path(0).path("role").asText()).isEqualTo("system");
            assertThat(b.path("messages").path(0).path("content").asText()).isEqualTo(PAPER_SYSTEM);
            assertThat(b.path("messages").path(1).path("role").asText()).isEqualTo("user");
        }
        assertThat(bodies.subList(2, 4)).extracting(b -> b.path("messages").path(1).path("content").asText())
                .containsExactlyInAnyOrder("Name a prime.", "Name a colour.");

        assertThat(Cli.run("score", run.toString(), "--scorer", "reference", "--reference-prompt", "mine",
                "--api-key-env", NO_KEY).err()).contains("--reference-prompt must be admap or paper, got 'mine'");
    }
}
