package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestException;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.model.Region;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One big file is read by many tasks and the results stay the single machine's: a JSON-lines
 * file cut into byte ranges (CR LF line ends, blank lines and repeated ids across the cuts), the
 * one-row-per-response layout merged across ranges, a Parquet file cut between row groups; a bad
 * row in a later range is still named by its line; gzip is one task per file.
 */
class SplitInputTest {

    private static final String SPLIT = "spark.sql.files.maxPartitionBytes";

    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.get();

    @AfterEach
    void defaultSplits() {
        spark.conf().unset(SPLIT);
    }

    @Test
    void aJsonLinesFileCutIntoRangesGivesTheSameMapFlagsAndPairs() throws IOException {
        List<String> lines = new ArrayList<>(GeneratedData.lines(600, 7, 0));
        lines.addAll(GeneratedData.lines(300, 11, 450)); // repeated ids, renamed #2 in input order
        Path file = dir.resolve("big.jsonl");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(lines.get(i)).append(i % 3 == 0 ? "\r\n" : "\n").append(i % 50 == 0 ? "\n" : "");
        }
        Files.writeString(file, text);
        List<InputSplit> splits = splitsOf(file, 9_000);
        assertThat(splits).hasSizeGreaterThan(10).allMatch(s -> s.kind() == InputSplit.Kind.LINES);
        assertSame(List.of(file), Region.HIGH_AVG);
    }

    @Test
    void oneRowPerResponseRowsMergedAcrossRangesGiveTheSameResults() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 4; r++) { // each instruction's responses far apart: in other ranges
            for (int i = 0; i < 150; i++) {
                text.append("{\"id\": \"q").append(i).append("\", \"prompt\": \"Question ").append(i)
                        .append("\", \"response\": \"answer ").append(r).append("\", \"score\": ")
                        .append((i * 7 + r * 3) % 10).append("}\n");
            }
        }
        Path file = dir.resolve("long.jsonl");
        Files.writeString(file, text);
        assertThat(splitsOf(file, 4_000)).hasSizeGreaterThan(8);
        assertSame(List.of(file), null);
    }

    @Test
    void aNamedFieldIsRefusedOnlyWhenNoRangeOfTheFileHasIt() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            for (int i = 0; i < 150; i++) { // only q140..q149 are rated: most ranges have no rating at all
                text.append("{\"qid\": \"q").append(i).append("\", \"question\": \"Question ").append(i)
                        .append("\", \"answer\": \"answer ").append(r).append('"')
                        .append(i >= 140 ? ", \"rating\": " + (i * 7 + r * 3) % 10 : "").append("}\n");
            }
        }
        Path file = dir.resolve("rated.jsonl");
        Files.writeString(file, text);
        assertThat(splitsOf(file, 3_000)).hasSizeGreaterThan(8);
        IngestOptions rated = IngestOptions.defaults().withLayout(Layout.LONG)
                .withFields("question", "answer", "rating", null, null, "qid");
        SingleMachine.Result expected = SingleMachine.run(List.of(file), rated, null,
                dir.resolve("single"));
        assertThat(expected.points()).hasSize(10);
        SparkMapped mapped = SparkMapJob.map(spark, SparkMapOptions.defaults(List.of(file.toString()),
                dir.resolve("out").toString()).withRead(rated).withPairsRegion(null));
        try {
            SparkMatchesSingleMachineTest.compare(expected, mapped);
        } finally {
            mapped.release();
        }
        IngestOptions misspelt = rated.withFields("question", "answer", "ratng", null, null, "qid");
        Throwable t = catchThrowable(() -> SparkMapJob.map(spark, SparkMapOptions.defaults(List.of(file.toString()),
                dir.resolve("out2").toString()).withRead(misspelt)));
        assertThat(t).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": --score-field 'ratng' names a field not in any of its rows")
                .hasMessageContaining("did you mean 'rating'?");
    }

    @Test
    void aParquetFileCutBetweenRowGroupsGivesTheSameResults() throws IOException {
        Path json = dir.resolve("rows.jsonl");
        Files.write(json, GeneratedData.lines(2000, 5, 0));
        Path parquetDir = dir.resolve("rows-parquet");
        spark.read().json(json.toString()).coalesce(1).write().option("parquet.block.size", 16 * 1024)
                .parquet(parquetDir.toString());
        Path file;
        try (Stream<Path> files = Files.list(parquetDir)) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        List<InputSplit> splits = splitsOf(file, 16 * 1024);
        assertThat(splits).hasSizeGreaterThan(2).allMatch(s -> s.kind() == InputSplit.Kind.ROW_GROUPS);
        assertSame(List.of(file), Region.LOW_AVG);
    }

    @Test
    void aBadRowInALaterRangeIsNamedByItsLineAsOnASingleMachine() throws IOException {
        List<String> lines = new ArrayList<>(GeneratedData.lines(400, 3, 0));
        lines.set(350, lines.get(350).replaceFirst("\"score\": [0-9.]+", "\"score\": \"high\""));
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, lines);
        String expected;
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            expected = ((IngestException) catchThrowable(() -> {
                while (reader.next() != null) {
                    continue;
                }
            })).getMessage();
        }
        assertThat(expected).startsWith(file + ":351: field");
        assertThat(splitsOf(file, 8_000)).hasSizeGreaterThan(5);
        Throwable t = catchThrowable(() -> SparkMapJob.map(spark, SparkMapOptions.defaults(
                List.of(file.toString()), dir.resolve("out").toString())));
        while (t != null && !(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        assertThat(t).isNotNull().hasMessage(expected);
    }

    @Test
    void gzipIsOneTaskPerFileWhateverItsSize() throws IOException {
        Path file = dir.resolve("big.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (String line : GeneratedData.lines(2000, 1, 0)) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path renamed = dir.resolve("gzip-named-plain.jsonl"); // gzip bytes under a plain name
        Files.copy(file, renamed);
        assertThat(splitsOf(file, 1_000)).singleElement().extracting(InputSplit::kind).isEqualTo(InputSplit.Kind.FILE);
        assertThat(splitsOf(renamed, 1_000)).singleElement().extracting(InputSplit::kind)
                .isEqualTo(InputSplit.Kind.FILE);
    }

    private List<InputSplit> splitsOf(Path file, long bytes) throws IOException {
        spark.conf().set(SPLIT, String.valueOf(bytes));
        var hadoop = spark.sparkContext().hadoopConfiguration();
        return InputSplits.plan(hadoop, InputFiles.found(hadoop, List.of(file.toUri().toString())),
                InputSplits.splitBytes(spark));
    }

    private void assertSame(List<Path> files, Region region) throws IOException {
        SingleMachine.Result expected = SingleMachine.run(files, IngestOptions.defaults(), region,
                dir.resolve("single"));
        SparkMapped mapped = SparkMapJob.map(spark, SparkMapOptions.defaults(files.stream().map(Path::toString)
                .toList(), dir.resolve("out").toString()).withPairsRegion(region));
        try {
            SparkMatchesSingleMachineTest.compare(expected, mapped);
        } finally {
            mapped.release();
        }
    }
}
