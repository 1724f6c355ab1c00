package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.RealData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapCommandTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path write(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    private static List<CSVRecord> csv(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void mapsTheDemoDataAndWritesTheStoreTheCsvAndTheSummary() throws Exception {
        Path run = tmp.resolve("run");
        Cli.mapDemo(run);
        assertThat(new org.admap.internal.store.RunDirectory(run).exists()).isTrue(); // the store, or its deferred note
        List<CSVRecord> rows = csv(run.resolve("map.csv"));
        assertThat(rows).hasSize(50);
        assertThat(rows.get(0).getParser().getHeaderNames())
                .containsExactly("id", "prompt", "n", "mean", "variance", "std", "region", "correlation");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/run/items").asLong()).isEqualTo(50);
        assertThat(summary.at("/map/regions/high-avg/count").asLong()).isEqualTo(17);
        assertThat(summary.at("/map/regions/low-avg/count").asLong()).isEqualTo(16);
        assertThat(summary.at("/map/regions/high-var/count").asLong()).isEqualTo(17);
        assertThat(summary.at("/map/labels").asText()).isEqualTo("independent");
        assertThat(summary.at("/seconds/ingest").isNumber()).isTrue();
    }

    @Test
    void aMalformedRowFailsWithOneLineNamingFileLineAndFieldAndLeavesNothingBehind() throws Exception {
        Path data = write("bad.jsonl",
                "{\"prompt\": \"a\", \"responses\": [{\"text\": \"x\", \"score\": 1}, {\"text\": \"y\", \"score\": " +
                        "2}]}",
                "{\"prompt\": \"b\", \"responses\": [{\"text\": \"x\", \"score\": 1}, {\"text\": \"y\", \"score\": " +
                        "\"high\"}]}");
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).hasLineCount(1)
                .isEqualTo("admap: error: " + data + ":2: field 'responses[1].score': expected a number, got \"high\"");
        assertThat(run).doesNotExist();
    }

    @Test
    void aNanScoreIsRefusedNotAveraged() throws Exception {
        Path data = write("nan.jsonl",
                "{\"prompt\": \"a\", \"responses\": [{\"text\": \"x\", \"score\": NaN}, {\"text\": \"y\", \"score\": " +
                        "2}]}");
        Cli.Result r = Cli.run("map", data.toString(), "--out", tmp.resolve("run").toString(), "-q");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(data + ":1: field 'responses[0].score': is NaN");
    }

    @Test
    void aFailureInAnExistingDirectoryKeepsItsOtherFilesAndLeavesNoTemporaryFile() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(run.resolve("notes.txt"), "mine");
        Path data = write("bad.jsonl", "{\"prompt\": \"a\", \"responses\": \"oops\"}");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q");
        assertThat(r.exit()).isEqualTo(2);
        try (var files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void skipBadRowsCountsThemInTheSummary() throws Exception {
        Path data = write("some-bad.jsonl",
                "{\"prompt\": \"a\", \"responses\": [{\"text\": \"x\", \"score\": 1}, {\"text\": \"y\", \"score\": " +
                        "2}]}",
                "not json at all",
                "{\"prompt\": \"c\", \"responses\": [{\"text\": \"x\", \"score\": 3}, {\"text\": \"y\", \"score\": " +
                        "9}]}",
                "{\"prompt\": \"d\"}");
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "--skip-bad-rows");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2 instructions").contains("2 bad rows skipped");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/run/bad_rows/count").asLong()).isEqualTo(2);
        assertThat(summary.at("/run/bad_rows/examples/0").asText()).startsWith(data + ":2: malformed JSON");
        assertThat(summary.at("/run/bad_rows/examples/1").asText()).isEqualTo(data + ":4: field 'responses': missing");
    }

    @Test
    void anEmptyFileAndAMissingFileAreUserErrors() throws Exception {
        Path empty = write("empty.jsonl");
        Files.writeString(empty, "");
        Cli.Result r1 = Cli.run("map", empty.toString(), "--out", tmp.resolve("a").toString());
        assertThat(r1.exit()).isEqualTo(2);
        assertThat(r1.err()).contains(empty + ": is empty");
        Cli.Result r2 = Cli.run("map", tmp.resolve("nope.jsonl").toString(), "--out", tmp.resolve("b").toString());
        assertThat(r2.exit()).isEqualTo(2);
        assertThat(r2.err()).contains("nope.jsonl: no such file");
    }

    @Test
    void anUnrecognisedLayoutSaysWhichFieldsItSawAndWhatToDo() throws Exception {
        Path data = write("odd.jsonl", "{\"question\": \"q\", \"answer\": \"a\", \"rating\": 3}");
        Cli.Result r = Cli.run("map", data.toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("[question, answer, rating]").contains("--layout long");
        Cli.Result mapped = Cli.run("map", data.toString(), "--out", tmp.resolve("run").toString(), "-q",
                "--layout", "long", "--prompt-field", "question", "--response-field", "answer",
                "--score-field", "rating");
        // One response per prompt: nothing has two scores, which is said plainly.
        assertThat(mapped.exit()).isEqualTo(2);
        assertThat(mapped.err()).contains("no instruction has two or more responses scored");
    }

    @Test
    void dataWithNeitherScoresNorLabelsIsStoredForAScorer() throws Exception {
        Path data = write("plain.jsonl",
                "{\"prompt\": \"p1\", \"responses\": [\"a\", \"b\"]}",
                "{\"prompt\": \"p2\", \"responses\": [\"c\", \"d\"]}");
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("stored 2 instructions, 4 responses").contains("no map yet")
                .contains("admap score " + run);
        assertThat(run.resolve("run.duckdb")).isRegularFile();
        assertThat(run.resolve("map.csv")).doesNotExist();
    }

    @Test
    void refusesToOverwriteARunWithoutForce() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q").exit()).isZero();
        Cli.Result again = Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a run").contains("--force");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q", "--force").exit())
                .isZero();
    }

    @Test
    void rebuildsTheMapOfARunOnAnotherScoreSource() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("diagnose", run.toString()).exit()).isZero();
        assertThat(run.resolve("flags.csv")).exists();

        Cli.Result r = Cli.run("map", run.toString(), "--scores", "labels");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("map on scores 'labels'").contains("flags and plots of the previous map");
        assertThat(run.resolve("flags.csv")).doesNotExist();
        List<CSVRecord> rows = csv(run.resolve("map.csv"));
        assertThat(rows.get(0).getParser().getHeaderNames()).doesNotContain("correlation");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.at("/map/scores").asText()).isEqualTo("labels");
        assertThat(summary.at("/map/score_range/0").asDouble()).isEqualTo(1.0);
    }

    @Test
    void anUnknownScoreSourceListsTheAvailableOnes() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q").exit()).isZero();
        Cli.Result r = Cli.run("map", run.toString(), "--scores", "judge");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no scores from 'judge'").contains("input, labels");
    }

    @Test
    void pairLabelsAloneGiveAWarnedDegenerateMap() throws Exception {
        Path data = write("pairs.jsonl",
                "{\"prompt\": \"p1\", \"chosen\": \"good\", \"rejected\": \"bad\"}",
                "{\"prompt\": \"p2\", \"chosen\": \"fine\", \"rejected\": \"poor\"}",
                "{\"prompt\": \"p3\", \"chosen\": \"yes\", \"rejected\": \"no\"}");
        Cli.Result r = Cli.run("map", data.toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("warning: every instruction has the same mean and variance");
    }

    @Test
    void missingOutIsAUsageError() {
        Cli.Result r = Cli.run("map", RealData.demo().toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing --out DIR");
    }

    @Test
    void aBadLayoutNameIsAUsageError() {
        Cli.Result r = Cli.run("map", RealData.demo().toString(), "--out", tmp.resolve("x").toString(),
                "--layout", "wide");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown layout 'wide'");
    }
}
