package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.admap.internal.store.RunDirectory;
import org.admap.web.ViewerServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How far to trust the map, as the pages show it: a run whose scores are lists of three
 * grades gets region_p per point, a "stability" colouring, each region's stability and the
 * estimate's description, each response's number of judgments and standard error, and the
 * bias audit, in report.html and from {@code admap serve}; a run of one judgment per response
 * says in one line that it has no uncertainty and how to get it.
 */
class TrustViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path run;
    /** The grades of each response, by "id/position". */
    static final Map<String, double[]> GRADES = new HashMap<>();
    static JsonNode data;

    /** 60 instructions x 4 responses, each graded three times on 1-5, mapped, diagnosed, reported. */
    @BeforeAll
    static void reportSampledScores() throws Exception {
        Path file = tmp.resolve("sampled.jsonl");
        Random random = new Random(11);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            lines.append("{\"id\": \"q").append(i).append("\", \"prompt\": \"question <b>").append(i)
                    .append("</b>\", \"responses\": [");
            double level = 1 + 4 * random.nextDouble();
            for (int r = 0; r < 4; r++) {
                double quality = level + random.nextGaussian();
                lines.append(r == 0 ? "" : ", ").append("{\"text\": \"answer ").append("x".repeat(r * 7))
                        .append("\", \"score\": [");
                double[] g = new double[3];
                for (int s = 0; s < 3; s++) {
                    g[s] = Math.max(1, Math.min(5, Math.round(quality + 0.5 * random.nextGaussian())));
                    lines.append(s == 0 ? "" : ", ").append((long) g[s]);
                }
                GRADES.put("q" + i + "/" + r, g);
                lines.append("]}");
            }
            lines.append("]}\n");
        }
        Files.writeString(file, lines);
        run = ReportedRun.of(file, tmp.resolve("run"));
        data = ReportPages.data(Files.readString(run.resolve("report.html")));
    }

    /** Only the picture, coloured so, in the format of its extension: admap report RUN --color C --out FILE. */
    private static void picture(Path dir, String color, Path file) throws Exception {
        ReportedRun.report(dir, new RunReport.Settings(file, color, null, MapPlot.PNG_SCALE, null,
                ViewData.Options.forReport(), false));
    }

    private static List<CSVRecord> mapCsv(Path dir) throws Exception {
        try (Reader in = Files.newBufferedReader(dir.resolve("map.csv"), StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
    }

    @Test
    void theTrustSectionHoldsEachRegionsStabilityFromTheMap() throws Exception {
        Map<String, List<Double>> byRegion = new HashMap<>();
        for (CSVRecord row : mapCsv(run)) {
            byRegion.computeIfAbsent(row.get("region"),
                    k -> new ArrayList<>()).add(Double.parseDouble(row.get("region_p")));
        }
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile()).path("map");
        JsonNode trust = data.get("trust");
        assertThat(trust.get("none").asBoolean()).isFalse();
        assertThat(trust.get("regions")).hasSize(3);
        for (JsonNode r : trust.get("regions")) {
            List<Double> ps = byRegion.get(r.get("name").asText());
            double mean = ps.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double stable = ps.stream().filter(p -> p >= 0.9).count() / (double) ps.size();
            assertThat(r.get("count").asInt()).isEqualTo(ps.size());
            assertThat(r.get("meanRegionP").asDouble()).isCloseTo(mean, within(1e-9));
            assertThat(r.get("stableShare").asDouble()).isCloseTo(stable, within(1e-12));
            JsonNode fromSummary = summary.path("regions").path(r.get("name").asText());
            assertThat(r.get("stabilitySd").asDouble()).isEqualTo(fromSummary.get("stability_sd").asDouble());
            assertThat(r.get("meanRegionP").asDouble()).isCloseTo(fromSummary.get("stability").asDouble(),
                    within(1e-9));
        }
        assertThat(trust.get("estimate")).isEqualTo(summary.get("stability"));
        assertThat(trust.at("/estimate/target").asText()).isEqualTo("replicate");
        assertThat(trust.at("/estimate/samples_per_score").asInt()).isEqualTo(3);
        // the judge's own noise beside it: the three grades' spread, and a score's standard error as the mean of 3
        double variance = summary.at("/stability/judgment_variance").asDouble();
        assertThat(trust.get("noiseFrom").asText()).isEqualTo("samples");
        assertThat(trust.get("judgmentSd").asDouble()).isCloseTo(Math.sqrt(variance), within(1e-12));
        assertThat(trust.get("standardError").asDouble()).isCloseTo(Math.sqrt(variance / 3), within(1e-12));
    }

    @Test
    void everyPointCarriesItsRegionPAndTheMapCanBeColouredByIt() throws Exception {
        Map<String, Double> regionP = new HashMap<>();
        for (CSVRecord row : mapCsv(run)) {
            regionP.put(row.get("id"), Double.parseDouble(row.get("region_p")));
        }
        JsonNode points = data.get("points");
        assertThat(points.get("rp")).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(points.get("rp").get(i).asDouble())
                    .isCloseTo(regionP.get(points.get("id").get(i).asText()), within(0.0005));
        }
        JsonNode stability = null;
        for (JsonNode c : data.get("colorings")) {
            if (c.get("name").asText().equals("stability")) {
                stability = c;
            }
        }
        assertThat(stability).as("a stability colouring").isNotNull();
        long stable = regionP.values().stream().filter(p -> p >= 0.9).count();
        assertThat(stability.get("labels").get(3).asText()).contains("0.9");
        assertThat(stability.get("counts").get(3).asLong()).isEqualTo(stable);
        picture(run, "stability", tmp.resolve("stability.png"));
        assertThat(tmp.resolve("stability.png")).isNotEmptyFile();
        picture(run, "region", tmp.resolve("faint.svg"));
        assertThat(Files.readString(tmp.resolve("faint.svg"))).contains("Faint points may change region");
    }

    @Test
    void theDetailsShowRegionPAndEachResponsesJudgmentsAndStandardError() {
        JsonNode details = data.get("details");
        assertThat(details.size()).isEqualTo(60);
        JsonNode item = details.elements().next();
        assertThat(item.at("/map/region_p").isNumber()).isTrue();
        checkUncertainty(item);
    }

    static void checkUncertainty(JsonNode item) {
        String id = item.get("id").asText();
        for (JsonNode r : item.get("responses")) {
            double[] g = GRADES.get(id + "/" + r.get("position").asInt());
            double mean = (g[0] + g[1] + g[2]) / 3;
            double ss = 0;
            for (double v : g) {
                ss += (v - mean) * (v - mean);
            }
            double se = Math.sqrt(ss / 2) / Math.sqrt(3);
            assertThat(r.get("uncertainty")).hasSize(1);
            JsonNode u = r.get("uncertainty").get(0);
            assertThat(u.get("source").asText()).isEqualTo("input");
            assertThat(u.get("samples").asInt()).isEqualTo(3);
            assertThat(u.get("se").asDouble()).isCloseTo(se, within(1e-9));
        }
    }

    @Test
    void theBiasAuditComesWithTheDiagnosis() {
        JsonNode bias = data.at("/diagnosis/bias");
        assertThat(bias).hasSize(1);
        assertThat(bias.get(0).get("scores").asText()).isEqualTo("input");
        assertThat(bias.get(0).get("responses").asInt()).isEqualTo(240);
        // longer answers were not graded higher: no strong length bias either way
        assertThat(Math.abs(bias.get(0).get("spearman_length_chars").asDouble())).isLessThan(0.3);
    }

    @Test
    void thePageRendersTheTrustSectionAsTextOnly() throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        assertThat(ReportPages.markup(html)).contains("How far to trust this map").contains("id=\"trust\"")
                .contains("id=\"stability-legend\"");
        assertThat(html).contains("function renderTrust()").contains("region_p >= 0.9");
    }

    /**
     * The page's script itself, run under Node with a stand-in DOM (no browser here): it
     * writes the trust table and the bias audit, draws unstable points fainter, and shows
     * region_p and each response's judgments in the details.
     */
    @Test
    void theScriptRendersTheTrustSectionAndFaintPoints() throws Exception {
        JsonNode page = PageScript.render(run.resolve("report.html"), tmp);
        JsonNode shown = page;
        JsonNode high = data.get("trust").get("regions").get(0);
        assertThat(shown.get("trust").asText()).contains("predicted for target \"replicate\"")
                .contains("region_p >= 0.9").contains("high-avg" + high.get("count").asInt())
                .contains(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * high.get("stableShare").asDouble()))
                .contains("Bias audit").contains("Spearman's rho of score and response length")
                .contains("Judge's own spread: sd " + threeDigits(data.at("/trust/judgmentSd").asDouble())
                        + " per judgment, SE of a score " + threeDigits(data.at("/trust/standardError").asDouble()))
                .contains("between repeated judgments").doesNotContain("within-judgment");
        assertThat(shown.at("/legend/0").asBoolean()).as("legend hidden").isFalse();
        assertThat(shown.at("/legend/1").asText()).contains("Faint points may change region");
        long stable = 0;
        long faint = 0;
        for (JsonNode series : shown.get("series")) {
            if (series.get(2).asDouble() > 0.8) {
                stable += series.get(1).asLong();
            } else if (series.get(2).asDouble() < 0.2) {
                faint += series.get(1).asLong();
            }
        }
        long expectStable = 0;
        long expectFaint = 0;
        for (JsonNode rp : data.at("/points/rp")) {
            expectStable += rp.asDouble() >= 0.9 ? 1 : 0;
            expectFaint += rp.asDouble() < 0.7 ? 1 : 0;
        }
        assertThat(expectFaint).as("the fixture has unstable points").isPositive();
        assertThat(stable).isEqualTo(expectStable);
        assertThat(faint).isEqualTo(expectFaint);
        assertThat(shown.get("detail").asText()).contains("region_p ").contains("input 3 judgments, standard error");
    }

    /** A number as the page's fmt(v, 3) writes it: three decimals, trailing zeros dropped. */
    static String threeDigits(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    @Test
    void theViewerServesTheSameTrust() throws Exception {
        try (ViewerServer server = ViewerServer.start(new RunDirectory(run), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode map = JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/run")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(map.get("trust")).isEqualTo(data.get("trust"));
            assertThat(map.at("/points/rp")).hasSize(60);
            int key = map.at("/points/key/0").asInt();
            JsonNode item = JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/item?key=" + key))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(item.at("/map/region_p").asDouble()).isCloseTo(map.at("/points/rp/0").asDouble(),
                    within(0.0005));
            checkUncertainty(item);
        }
    }

    @Test
    void aRunOfOneJudgmentPerResponseSaysSoInOneLine() throws Exception {
        Path plain = UntrustedData.run(Files.createDirectories(tmp.resolve("plain")));
        JsonNode d = ReportPages.data(Files.readString(plain.resolve("report.html")));
        JsonNode trust = d.get("trust");
        assertThat(trust.get("none").asBoolean()).isTrue();
        assertThat(trust.has("regions")).isFalse();
        assertThat(trust.has("standardError")).as("no judge's spread without uncertainty").isFalse();
        assertThat(trust.has("judgmentSd")).isFalse();
        assertThat(trust.get("message").asText()).doesNotContain("\n").contains("one judgment per response")
                .contains("--samples 3").contains("--logprobs on").contains("--stability-target");
        assertThat(d.get("points").has("rp")).isFalse();
        for (JsonNode c : d.get("colorings")) {
            assertThat(c.get("name").asText()).isNotEqualTo("stability");
        }
        assertThatThrownBy(() -> picture(plain, "stability", tmp.resolve("plain.png")))
                .isInstanceOf(IllegalArgumentException.class) // the command line's exit 2
                .hasMessageContaining("no region_p").hasMessageContaining("--color stability");
    }
}
