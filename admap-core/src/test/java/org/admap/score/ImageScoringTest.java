package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.internal.image.ImageException;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.score.reference.ReferenceScorer;
import org.admap.testing.StandInServer;
import org.admap.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge and the reference writer see a prompt's images, as OpenAI vision messages: the
 * text part, then one {@code image_url} part per image, a data URL of the sniffed type for a
 * local file and the URL itself for an http(s) image. The image's hash is part of the cache key.
 */
class ImageScoringTest {

    @TempDir
    Path dir;
    StandInServer server;
    RunStore store;
    Path cat;
    Path dog;

    /** A VLFeedback row (two completions rated on the three aspects). */
    static String row(String id, String prompt, String image, String a, String b) {
        return "{\"id\": \"" + id + "\", \"prompt\": \"" + prompt + "\", \"models\": [\"m1\", \"m2\"],"
                + " \"completions\": [" + completion(a, "m1", 5, 4, 5) + ", " + completion(b, "m2", 2, 1, 3) + "],"
                + " \"img_path\": \"" + image + "\"}";
    }

    static String completion(String response, String model, int h, int vf, int ec) {
        return "{\"annotations\": {\"Helpfulness\": {\"Rating\": \"" + h + "\", \"Rationale\": \"h\"},"
                + " \"Visual Faithfulness\": {\"Rating\": \"" + vf + "\", \"Rationale\": \"v\"},"
                + " \"Ethical Considerations\": {\"Rating\": \"" + ec + "\", \"Rationale\": \"e\"}},"
                + " \"model\": \"" + model + "\", \"response\": \"" + response + "\"}";
    }

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
        Files.createDirectories(dir.resolve("images"));
        cat = TestImages.write(dir, "images/cat.png", "png", Color.ORANGE);
        dog = Files.write(dir.resolve("images/dog.png"), TestImages.bytes("jpg", 8, 8, Color.GRAY)); // a JPEG
        store = TestFiles.ingest(dir.resolve(RunStore.FILE_NAME), IngestOptions.defaults(),
                TestFiles.jsonl(dir, "vlf.jsonl",
                        row("cat", "What animal is this?", "images/cat.png", "A cat.", "A car."),
                        row("dog", "What animal is this?", "images/dog.png", "A dog.", "A cat."),
                        row("web", "Describe the picture.", "https://example.org/p.jpg", "A field.", "Nothing.")));
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private ScoringReport score(Scorer scorer, String source) throws Exception {
        return new ScoringJob(store, scorer, source, ScoringFixtures.options(2), Progress.Factory.NONE).run();
    }

    private ApiClient client() {
        return ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
    }

    private static String dataUrl(String mime, Path file) throws Exception {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    @Test
    void theJudgeGetsTheTextThenAnImageUrlPartInTheOpenAiVisionFormat() throws Exception {
        ScoringReport report = score(ScoringFixtures.judge(client(), false, false), "judge");

        assertThat(report.failed()).isZero();
        assertThat(report.scored()).isEqualTo(6);
        assertThat(server.chatBodies()).hasSize(6);
        for (JsonNode body : server.chatBodies()) {
            JsonNode user = body.path("messages").path(1);
            assertThat(user.path("role").asText()).isEqualTo("user");
            JsonNode content = user.path("content");
            assertThat(content.isArray()).as("content parts").isTrue();
            assertThat(content).hasSize(2);
            assertThat(content.get(0).path("type").asText()).isEqualTo("text");
            assertThat(content.get(0).path("text").asText()).contains("[Instruction]\n");
            assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
            assertThat(content.get(1).path("image_url").isObject()).isTrue();
            assertThat(content.get(1).path("image_url").size()).as("only url").isEqualTo(1);
        }
        List<String> urls = new ArrayList<>();
        server.chatBodies().forEach(b -> urls.add(b.path("messages").path(1).path("content").path(1)
                .path("image_url").path("url").asText()));
        assertThat(urls).containsOnly(dataUrl("image/png", cat), dataUrl("image/jpeg", dog),
                "https://example.org/p.jpg");
        String jpeg = dataUrl("image/jpeg", dog);
        assertThat(urls).filteredOn(jpeg::equals).as("sniffed, not from .png").hasSize(2);
    }

    @Test
    void theImagesHashIsInTheCacheKeySoTheSameTextWithAnotherImageIsJudgedAndAChangedImageAgain()
            throws Exception {
        score(ScoringFixtures.judge(client(), false, false), "judge");
        // "A cat." answers both "What animal is this?" rows: same text, different images, judged twice.
        assertThat(server.judged().get("What animal is this?\u0000A cat.").get()).isEqualTo(2);

        int before = server.requests();
        ScoringReport again = score(ScoringFixtures.judge(client(), false, false), "judge");
        assertThat(server.requests()).as("a rerun sends nothing").isEqualTo(before);
        assertThat(again.alreadyScored()).isEqualTo(6);

        // The run still holds the old scores; a changed image must not be matched to them by text.
        TestImages.write(dir, "images/cat.png", "png", Color.PINK);
        org.admap.internal.store.ScoreState state = store.loadScoreState("judge",
                ScoringFixtures.judge(client(), false, false).config().fingerprint());
        List<org.admap.model.ImageRef> images = new ArrayList<>();
        store.forEachItem(RunStore.LABELS, null, k -> {
            if (k.item().id().equals("cat")) {
                images.addAll(k.item().images());
            }
        });
        String newKey = ScoreTask.promptHash("What animal is this?", List.of(),
                List.of(org.admap.internal.image.ImageFiles.load(images.get(0)).ref()), null, false);
        assertThat(state.cached(newKey, org.admap.model.TextHash.of("A cat."), 0)).isNull();
    }

    @Test
    void theReferenceWriterSeesTheImageToo() throws Exception {
        ReferenceScorer scorer = new ReferenceScorer(new ReferenceScorer.ReferenceSettings(
                ReferenceScorer.Similarity.ROUGE_L, ReferenceScorer.DEFAULT_WRITER,
                Pricing.forModel(ReferenceScorer.DEFAULT_WRITER), ReferenceScorer.DEFAULT_MAX_TOKENS, 0, false),
                client(), null, store);

        ScoringReport report = score(scorer, "reference");

        assertThat(report.failed()).isZero();
        assertThat(server.chatBodies()).hasSize(3); // one reference per instruction and image
        for (JsonNode body : server.chatBodies()) {
            JsonNode messages = body.path("messages");
            assertThat(messages.get(0).path("content").asText()).isEqualTo(ReferenceScorer.SYSTEM_PROMPT);
            JsonNode content = messages.get(1).path("content");
            assertThat(content.get(0).path("type").asText()).isEqualTo("text");
            assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
        }
        assertThat(server.chatBodies()).extracting(b -> b.path("messages").path(1).path("content").path(1)
                .path("image_url").path("url").asText()).contains(dataUrl("image/png", cat));
    }

    @Test
    void anImageThatIsNotOneStopsScoringNamingTheItemAndTheFile() throws Exception {
        Files.writeString(cat, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");

        assertThatThrownBy(() -> score(ScoringFixtures.judge(client(), false, false), "judge"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("item cat (")
                .hasMessageContaining("vlf.jsonl:1")
                .hasMessageContaining("image images/cat.png is an SVG");
        assertThat(server.chatBodies()).noneMatch(b -> b.toString().contains("svg"));
    }
}
