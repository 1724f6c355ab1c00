package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ReportPages;
import org.admap.report.ViewData;
import org.admap.testing.StandInServer;
import org.admap.testing.TestImages;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VLFeedback-shaped data end to end through the CLI, on fixtures this test writes (images made
 * with ImageIO): map, judge scoring against a stand-in that receives the images as OpenAI vision
 * {@code image_url} parts, diagnose, report and serve with the images shown as data URLs under an
 * unchanged Content-Security-Policy, and exports that keep the images in the consumer's column.
 */
class VisionDataEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ANIMALS = {"cat", "dog", "bird", "fish", "horse", "cow"};

    @TempDir
    static Path tmp;
    static Path run;
    static Path images;
    static StandInServer server;
    static final List<Cli.Result> STEPS = new ArrayList<>();

    static String completion(String response, String model, int h, int vf, int ec) {
        return "{\"annotations\": {\"Helpfulness\": {\"Rating\": \"" + h + "\", \"Rationale\": \"because\"},"
                + " \"Visual Faithfulness\": {\"Rating\": \"" + vf + "\", \"Rationale\": \"seen\"},"
                + " \"Ethical Considerations\": {\"Rating\": \"" + ec + "\", \"Rationale\": \"fine\"}},"
                + " \"model\": \"" + model + "\", \"response\": \"" + response + "\"}";
    }

    @BeforeAll
    static void mapScoreDiagnoseReport() throws Exception {
        images = Files.createDirectories(tmp.resolve("data/merged_images"));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ANIMALS.length; i++) {
            String a = ANIMALS[i];
            // PNGs and JPEGs, every file called .jpg: the type must come from the bytes
            Files.write(images.resolve(a + ".jpg"), TestImages.bytes(i % 2 == 0 ? "png" : "jpg", 12, 9,
                    new Color(40 * i, 200 - 30 * i, 90)));
            rows.add("{\"id\": \"vlf-" + a + "\", \"prompt\": \"What animal is in the picture (" + i + ")?\","
                    + " \"models\": [\"llava\", \"qwen-vl\", \"fuyu\"], \"completions\": ["
                    + completion("It is a " + a + ".", "llava", 5, 5, 5) + ", "
                    + completion("Probably a " + a + " or a " + ANIMALS[(i + 1) % 6] + ".", "qwen-vl", 3, 3, 4)
                    + ", " + completion("A car" + ".".repeat(i + 1), "fuyu", 1 + i % 2, 1, 5)
                    + "], \"img_path\": \"merged_images/" + a + ".jpg\"}");
        }
        Path data = tmp.resolve("data/vlfeedback.jsonl");
        Files.write(data, rows, StandardCharsets.UTF_8);
        run = tmp.resolve("run");
        server = StandInServer.start();
        STEPS.add(Cli.run("map", data.toString(), "--out", run.toString(), "-q"));
        STEPS.add(Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(), "-q"));
        STEPS.add(Cli.run("map", run.toString(), "--scores", "judge", "-q"));
        STEPS.add(Cli.run("diagnose", run.toString()));
        STEPS.add(Cli.run("report", run.toString()));
        for (Cli.Result r : STEPS) {
            assertThat(r.exit()).as(r.toString()).isZero();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String dataUrl(String animal) throws Exception {
        byte[] bytes = Files.readAllBytes(images.resolve(animal + ".jpg"));
        String mime = bytes[0] == (byte) 0x89 ? "image/png" : "image/jpeg";
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void theMapIsOfTheSixInstructionsOnTheJudgesScoresAndTheSummarySaysVlfeedback() throws Exception {
        assertThat(Files.readAllLines(run.resolve("map.csv"))).hasSize(7);
        assertThat(Files.readString(run.resolve("summary.json"))).contains("vlfeedback (label fine-grained_score)");
        assertThat(Files.exists(run.resolve("flags.csv"))).isTrue();
    }

    @Test
    void theJudgeReceivedEachImageAsAnImageUrlPartAfterTheText() throws Exception {
        List<JsonNode> bodies = server.chatBodies();
        assertThat(bodies).hasSize(18);
        List<String> expected = new ArrayList<>();
        for (String a : ANIMALS) {
            expected.add(dataUrl(a));
        }
        for (JsonNode body : bodies) {
            JsonNode content = body.path("messages").path(1).path("content");
            assertThat(content.isArray()).isTrue();
            assertThat(content).hasSize(2);
            assertThat(content.get(0).path("type").asText()).isEqualTo("text");
            assertThat(content.get(1).path("type").asText()).isEqualTo("image_url");
            String url = content.get(1).path("image_url").path("url").asText();
            assertThat(url).isIn(expected);
            // the instruction and the image of the same row went together
            String text = content.get(0).path("text").asText();
            int i = Integer.parseInt(text.replaceAll("(?s).*picture \\((\\d)\\).*", "$1"));
            assertThat(url).isEqualTo(dataUrl(ANIMALS[i]));
        }
    }

    @Test
    void theReportShowsTheImagesAsDataUrlsUnderAPolicyThatAllowsDataImagesOnly() throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        JsonNode details = ReportPages.data(html).get("details");
        int shown = 0;
        for (JsonNode item : details) {
            String animal = item.get("id").asText().substring(4);
            JsonNode image = item.get("images").get(0);
            assertThat(image.get("source").asText()).isEqualTo("merged_images/" + animal + ".jpg");
            assertThat(image.get("src").asText()).isEqualTo(dataUrl(animal));
            shown++;
        }
        assertThat(shown).isEqualTo(6);
        String csp = html.replaceAll("(?s).*http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\".*", "$1");
        assertThat(csp).contains("default-src 'none'").contains("img-src data: blob:")
                .doesNotContain("img-src *").doesNotContain("http:").doesNotContain("https:");
    }

    @Test
    void serveGivesTheImageWithTheItem() throws Exception {
        try (ViewerServer viewer = ViewerServer.start(new RunDirectory(run), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    viewer.uri().resolve("/api/item?key=0")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode item = JSON.readTree(r.body());
            assertThat(item.get("images").get(0).get("src").asText()).isEqualTo(dataUrl("cat"));
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("img-src 'self' data:");
        }
    }

    @Test
    void exportsKeepTheImagesInTheConsumersColumn() throws Exception {
        Path lf = tmp.resolve("export/vlf.json");
        Files.createDirectories(lf.getParent());
        Cli.Result r = Cli.run("select", run.toString(), "--region", "all", "--format", "llama-factory", "--out",
                lf.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode rows = JSON.readTree(lf.toFile());
        assertThat(rows.size()).isGreaterThan(0);
        for (JsonNode row : rows) {
            assertThat(row.get("instruction").asText()).startsWith("<image>What animal");
            String animal = row.get("id").asText().substring(4);
            assertThat(row.get("images")).hasSize(1);
            assertThat(row.get("images").get(0).asText()).isEqualTo(images.resolve(animal + ".jpg")
                    .toAbsolutePath().normalize().toString());
        }
        JsonNode info = JSON.readTree(lf.resolveSibling("dataset_info.json").toFile()).get("vlf");
        assertThat(info.get("columns").get("images").asText()).isEqualTo("images");

        Path trl = tmp.resolve("export/vlf-trl.jsonl");
        r = Cli.run("select", run.toString(), "--region", "all", "--format", "trl-chat", "--out", trl.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode first = JSON.readTree(Files.readAllLines(trl).get(0));
        assertThat(first.get("images")).hasSize(1);
        JsonNode content = first.get("prompt").get(0).get("content");
        assertThat(content.get(0).get("type").asText()).isEqualTo("image");
        assertThat(content.get(1).get("type").asText()).isEqualTo("text");
    }

    @Test
    void hostileImagesAreRefusedByNameAndNeverShown() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("hostile"));
        TestImages.svgWithScript(dir, "chart.jpg");
        Files.writeString(dir.resolve("notes.png"), "just some text, not a picture");
        TestImages.huge(dir, "poster.jpg", 21L * 1024 * 1024);
        List<String> rows = new ArrayList<>();
        String[] files = {"chart.jpg", "notes.png", "poster.jpg"};
        for (int i = 0; i < files.length; i++) {
            rows.add("{\"id\": \"h" + i + "\", \"prompt\": \"Describe image " + i + ".\", \"completions\": ["
                    + completion("Good " + i, "a", 5, 4, 5) + ", " + completion("Bad " + i, "b", 1, 2, 3)
                    + "], \"img_path\": \"" + files[i] + "\"}");
        }
        Path data = dir.resolve("h.jsonl");
        Files.write(data, rows, StandardCharsets.UTF_8);
        Path hrun = tmp.resolve("hostile-run");
        assertThat(Cli.run("map", data.toString(), "--out", hrun.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("report", hrun.toString()).exit()).isZero();

        String html = Files.readString(hrun.resolve("report.html"));
        List<String> errors = new ArrayList<>();
        for (JsonNode item : ReportPages.data(html).get("details")) {
            JsonNode image = item.get("images").get(0);
            assertThat(image.has("src")).as(image.toString()).isFalse();
            errors.add(image.get("error").asText());
        }
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("chart.jpg is an SVG"))
                .anySatisfy(e -> assertThat(e).contains("notes.png is not a PNG, JPEG, GIF or WebP image"))
                .anySatisfy(e -> assertThat(e).contains("poster.jpg is 21.0 MB, over the 20 MB limit"));
        assertThat(html).doesNotContain("alert(document.cookie)");

        int before = server.requests();
        Cli.Result score = Cli.run("score", hrun.toString(), "--scorer", "judge", "--base-url", server.baseUrl(),
                "-q");
        assertThat(score.exit()).as(score.toString()).isEqualTo(2);
        assertThat(score.err()).contains("item h0 (").contains("h.jsonl:1").contains("image chart.jpg is an SVG");
        assertThat(server.requests()).as("nothing was sent").isEqualTo(before);
    }
}
