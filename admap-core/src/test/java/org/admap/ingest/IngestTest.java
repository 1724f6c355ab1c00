package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.internal.store.RunStore;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ingest reads every file into the store in one pass each and reports what it read and how far it is. */
class IngestTest {

    @TempDir
    Path dir;

    /** Records what ingest reports to a progress display. */
    static final class Recorder implements Progress.Factory {
        final List<String> events = new ArrayList<>();
        long total;
        long last = -1;
        boolean backwards;

        @Override
        public Progress start(String task, long total, String unit) {
            events.add("start " + task + " " + unit);
            this.total = total;
            return new Progress() {
                @Override
                public void advanceTo(long done) {
                    backwards |= done < last;
                    last = done;
                }

                @Override
                public void status(String text) {
                    events.add("status " + text);
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    }

    @Test
    void reportSaysWhatEachFileWasAndHowMuchWasStored() throws Exception {
        Path gz = TestFiles.gzip(dir, "prefs.jsonl.gz", TestFiles.resource("prefs.jsonl"));
        Path csv = TestFiles.copyResource("prefs.csv", dir, "more.csv");

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(gz, csv), IngestOptions.defaults(), store, Progress.Factory.NONE);

            assertThat(report.files()).extracting(IngestReport.FileReport::path, IngestReport.FileReport::format,
                            IngestReport.FileReport::layout, IngestReport.FileReport::rows)
                    .containsExactly(tuple(gz.toString(), "jsonl.gz", "multi-response", 3L),
                            tuple(csv.toString(), "csv", "multi-response", 3L));
            assertThat(report.items()).isEqualTo(6);
            assertThat(report.responses()).isEqualTo(14);
            assertThat(report.renamedIds()).as("the same ids twice").isEqualTo(3);
            assertThat(store.itemCount()).isEqualTo(6);
        }
    }

    @Test
    void progressCountsTheBytesOfAllFilesToTheEnd() throws Exception {
        Path first = TestFiles.copyResource("prefs.jsonl", dir, "a.jsonl");
        Path second = TestFiles.gzip(dir, "b.json.gz", TestFiles.resource("prefs.json"));
        Recorder progress = new Recorder();

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            Ingest.run(List.of(first, second), IngestOptions.defaults(), store, progress);
        }

        assertThat(progress.total).isEqualTo(Files.size(first) + Files.size(second));
        assertThat(progress.last).isEqualTo(progress.total);
        assertThat(progress.backwards).isFalse();
        assertThat(progress.events).first().isEqualTo("start reading 2 files B");
        assertThat(progress.events).endsWith("status 6 items", "close");
    }

    @Test
    void progressOfOneFileNamesIt() throws Exception {
        Path file = TestFiles.copyResource("prefs.jsonl", dir, "prefs.jsonl");
        Recorder progress = new Recorder();

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            Ingest.run(List.of(file), IngestOptions.defaults(), store, progress);
        }

        assertThat(progress.events).first().isEqualTo("start reading prefs.jsonl B");
    }

    @Test
    void everyFileIsCheckedBeforeAnyIsRead() throws Exception {
        Path good = TestFiles.copyResource("prefs.jsonl", dir, "good.jsonl");
        Path missing = dir.resolve("missing.jsonl");

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            assertThatThrownBy(() -> Ingest.run(List.of(good, missing), IngestOptions.defaults(), store,
                    Progress.Factory.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage(missing + ": no such file");
            assertThat(store.itemCount()).isZero();
            assertThat(store.inputs()).isEmpty();
        }
    }

    @Test
    void noFilesIsAProgrammingError() {
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            assertThatThrownBy(() -> Ingest.run(List.of(), IngestOptions.defaults(), store, Progress.Factory.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no input files");
        }
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of(Named.of("JSON lines", "prefs.jsonl"), "prefs.jsonl", false),
                Arguments.of(Named.of("JSON lines, gzip", "prefs.jsonl"), "prefs.jsonl.gz", true),
                Arguments.of(Named.of("JSON array", "prefs.json"), "prefs.json", false),
                Arguments.of(Named.of("JSON array, gzip", "prefs.json"), "prefs.json.gz", true),
                Arguments.of(Named.of("CSV", "prefs.csv"), "prefs.csv", false),
                Arguments.of(Named.of("TSV, gzip", "prefs.tsv"), "prefs.tsv.gz", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readerHasConsumedTheWholeFileAtTheEnd(String fixture, String name, boolean gzip) throws Exception {
        Path file = gzip ? TestFiles.gzip(dir, name, TestFiles.resource(fixture))
                : TestFiles.copyResource(fixture, dir, name);

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            assertThat(reader.totalBytes()).isEqualTo(Files.size(file));
            TestFiles.drain(reader);
            assertThat(reader.bytesRead()).isEqualTo(reader.totalBytes());
        }
    }

    @Test
    void parquetReaderEstimatesBytesByRowsAndEndsAtTheFileSize() throws Exception {
        Path file = FileFormatsTest.parquet(dir);

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            long afterFirst = reader.bytesRead();
            TestFiles.drain(reader);

            assertThat(afterFirst).isBetween(1L, Files.size(file) - 1);
            assertThat(reader.bytesRead()).isEqualTo(Files.size(file));
        }
    }
}
