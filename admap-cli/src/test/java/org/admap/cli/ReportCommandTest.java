package org.admap.cli;

import static org.admap.report.Pictures.countNear;
import static org.admap.report.Pictures.svgTexts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.admap.RealData;
import org.admap.model.Region;
import org.admap.report.Coloring;
import org.admap.report.ReportPages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** admap report: the picture as PNG and SVG, its colourings, and what it writes by default. */
class ReportCommandTest {

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void mapAndDiagnoseTheDemo() {
        run = tmp.resolve("run");
        Cli.mapDemo(run);
        assertThat(Cli.run("diagnose", run.toString()).exit()).isZero();
    }

    private static Cli.Result report(String... args) {
        List<String> all = new ArrayList<>(List.of("report", run.toString()));
        all.addAll(List.of(args));
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void thePngHasTheAskedSizeAndEveryRegionColour() throws Exception {
        Path png = tmp.resolve("pic.png");
        Cli.Result r = report("--out", png.toString(), "--no-html");
        assertThat(r.out()).contains("wrote " + png).contains("50 points coloured by region");
        assertThat(tmp.resolve("pic.svg")).doesNotExist();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(2400);
        assertThat(image.getHeight()).isEqualTo(1800);
        long white = countNear(image, Color.WHITE, 0);
        assertThat(white).isLessThan((long) image.getWidth() * image.getHeight() * 9 / 10);
        for (Region region : Region.values()) {
            // Histogram bars and legend swatches are drawn in the region's own colour.
            assertThat(countNear(image, Coloring.REGION_COLORS.get(region), 12)).as(region.cliName())
                    .isGreaterThan(2_000);
        }

        Path small = tmp.resolve("small.png");
        report("--out", small.toString(), "--no-html", "--scale", "1");
        assertThat(ImageIO.read(small.toFile()).getWidth()).isEqualTo(1200);
    }

    @Test
    void theSvgIsXmlWithTitleLegendAndCounts() throws Exception {
        Path svg = tmp.resolve("fig.svg");
        report("--out", svg.toString(), "--no-html");
        assertThat(tmp.resolve("fig.png")).doesNotExist();
        List<String> texts = svgTexts(svg);
        assertThat(texts).contains("Alignment data map: demo.jsonl", "region", "high-avg", "low-avg", "high-var",
                "17", "16", "total", "50", "34%", "variability: variance of the response scores",
                "quality: mean response score");
        String xml = Files.readString(svg);
        assertThat(xml.contains("width='1200.0' height='900.0'")).as("size").isTrue();
        for (Color c : Coloring.REGION_COLORS.values()) {
            assertThat(xml.contains("fill:rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")"))
                    .as("region colour " + Coloring.hex(c)).isTrue();
        }
        assertThat(xml.contains("<image")).as("50 points: vectors, not a raster").isFalse();
    }

    @Test
    void colouringByCorrelationBinsTheAgreement() throws Exception {
        Path svg = tmp.resolve("corr.svg");
        report("--out", svg.toString(), "--no-html", "--color", "correlation");
        List<String> texts = svgTexts(svg);
        assertThat(texts).contains("label/score agreement", "(cosine)", "<= 0", "0.5 - 0.65", "0.65 - 0.8", "> 0.9");
        // The three planted misannotations (cosine 0.57 - 0.59) are the 0.5 - 0.65 bin.
        assertThat(texts.get(texts.indexOf("0.5 - 0.65") + 1)).isEqualTo("3");
    }

    @Test
    void colouringByModelNamesTheModelOfTheBestResponse() throws Exception {
        Path svg = tmp.resolve("model.svg");
        report("--out", svg.toString(), "--no-html", "--color", "model");
        assertThat(svgTexts(svg)).contains("model of the best response", "sage-70b", "wise-13b");
    }

    @Test
    void correlationNeedsLabelsApartFromTheScores() {
        Path labelsRun = tmp.resolve("labels-run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", labelsRun.toString(), "-q", "--scores",
                "labels").exit()).isZero();
        Cli.Result r = Cli.run("report", labelsRun.toString(), "--color", "correlation");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no label/score correlation").contains("the scores themselves");
        Cli.Result bad = Cli.run("report", labelsRun.toString(), "--color", "rainbow");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--color must be region, correlation, model or stability");
    }

    @Test
    void byDefaultItWritesBothPicturesAndTheReport() throws Exception {
        Cli.Result r = report();
        assertThat(run.resolve("map.png")).isNotEmptyFile();
        assertThat(run.resolve("map.svg")).isNotEmptyFile();
        assertThat(run.resolve("report.html")).isNotEmptyFile();
        assertThat(r.out()).contains("report.html").contains("50 points; full texts of 50 instructions");
        try (var files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aNewMapRemovesThePicturesOfTheOldOne() {
        Path other = tmp.resolve("remap");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", other.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("report", other.toString()).exit()).isZero();
        assertThat(Cli.run("map", other.toString(), "--scores", "labels", "-q").exit()).isZero();
        assertThat(other.resolve("map.png")).doesNotExist();
        assertThat(other.resolve("map.svg")).doesNotExist();
        assertThat(other.resolve("report.html")).doesNotExist();
    }

    /** The size options reach report.html and its line says what it embeds (the policy itself: HtmlReportTest). */
    @Test
    void sizeOptionsReachTheReportAndNoHtmlWins() throws Exception {
        Path small = tmp.resolve("small.html");
        report("--no-html", "--html", small.toString());
        assertThat(small).doesNotExist();
        Cli.Result r = report("--format", "png", "--out", tmp.resolve("x.png").toString(), "--html", small.toString(),
                "--max-points", "20", "--details", "3", "--max-text", "50");
        assertThat(r.out()).contains("20 points of 50; full texts of 3 instructions");
        JsonNode policy = ReportPages.data(Files.readString(small)).get("policy");
        assertThat(policy.get("embeddedPoints").asInt()).isEqualTo(20);
        assertThat(policy.get("details").asInt()).isEqualTo(3);
        assertThat(policy.get("maxTextChars").asInt()).isEqualTo(50);
    }
}
