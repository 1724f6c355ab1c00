package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.columns.InputTexts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.store.RunDirectory;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search index of a scanned run finds exactly what reading every prompt finds
 * ({@link ScannedRunView#scan}), in the same order, for queries of every kind; its side file
 * is reused while the run is as it was, rebuilt when it is not, never left half written, and a
 * changed input is the error naming it.
 */
class TextSearchIndexTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Texts with the cases a byte search could get wrong: case folding that changes length, escapes, surrogates. */
    private static final List<String> PIECES = List.of("Hello World", "ISTANBUL İstanbul ıi", "Straße STRASSE",
            "ΟΔΟΣ οδος Σίσυφος", "emoji 😀 face 👍🏽", "漢字かな交じり文", "tab\there", "line\nfeed", "quote \"x\"",
            "back\\slash", "comma, dot. semi; colon: bang!", "Ünïcödé ÀÉÎÕÜ", "MiXeD CaSe wOrDs", "a-b_c/d",
            "price $5 ≥ 3 ≤ 7", "ﬁ ligature", "Kelvin \u212A sign", "nul\u0001char", "   spaces   ");

    @TempDir
    Path tmp;

    /** A scanned run of {@code rows} generated instructions, some with an input, one with an unpaired surrogate. */
    private Path run(int rows) throws IOException {
        Path input = tmp.resolve("in.jsonl");
        Random random = new Random(7);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", "row-" + i);
            StringBuilder prompt = new StringBuilder("row ");
            for (int w = 0; w < 1 + random.nextInt(4); w++) {
                prompt.append(PIECES.get(random.nextInt(PIECES.size()))).append(' ');
            }
            if (i == 13) {
                prompt.append("lone \uD83D high");
            }
            o.put("prompt", prompt.toString().strip());
            if (i % 3 == 0) {
                o.put("input", PIECES.get(random.nextInt(PIECES.size())) + " input " + i);
            }
            var responses = o.putArray("responses");
            for (int r = 0; r < 2; r++) {
                responses.addObject().put("text", "answer " + r + " of " + i).put("score", 1 + random.nextInt(9))
                        .put("label", 1 + random.nextInt(9));
            }
            // JSON has the unpaired surrogate as an escape; UTF-8 could not hold it raw
            lines.add(JSON.writeValueAsString(o).replace("\uD83D high", "\\ud83d high"));
        }
        Files.write(input, lines);
        Path out = tmp.resolve("run");
        Run.create(new CreateOptions(List.of(input.toString()), null, IngestOptions.defaults(), out, false, null,
                Correlation.COSINE, 1, false, false), Progress.Factory.NONE);
        assertThat(Run.hasColumns(out)).as("a scanned run").isTrue();
        return out;
    }

    private static List<String> queries() {
        List<String> q = new ArrayList<>(List.of("", " ", "\t", "row", "ROW", "hello", "HELLO WORLD", "o w",
                "istanbul", "İstanbul", "i̇stanbul", "ı", "straße", "STRASSE", "ss", "οδος", "ΟΔΟΣ", "ς", "σ", "😀",
                "\uD83D", "\uDE00", "lone \uD83D", "👍", "🏽", "漢字", "字か", "\t", "\n", "line\nfeed", "\"x\"", "\\",
                "!", ".", ", dot", "ünïcödé", "ÀÉÎ", "mixed case", "a-b_c/d", "≥", "$5", "ﬁ", "fi", "k", "\u212A",
                "\u0001", "   ", "input", "input 3", "row-7", " row-7 ", "ROW-7", "row-70", "no such words anywhere",
                "zzz", "e", "ä"));
        for (String p : PIECES) {
            q.add(p);
            q.add(p.substring(0, Math.max(1, p.length() / 2)));
            q.add(p.toUpperCase(java.util.Locale.ROOT));
        }
        return q;
    }

    @Test
    void findsWhatReadingEveryPromptFindsForEveryQuery() throws Exception {
        Path dir = run(3000);
        try (ScannedRunView view = ScannedRunView.open(new RunDirectory(dir))) {
            int everything = 0;
            for (String q : queries()) {
                BitSet indexed = view.search(q);
                assertThat(indexed).as("query [%s]", q).isEqualTo(view.scan(q));
                everything += indexed.cardinality() == 3000 ? 1 : 0;
            }
            assertThat(everything).as("queries that every instruction holds ('row')").isPositive();
            assertThat(view.search("lone \uD83D high")).as("the text with an unpaired surrogate").hasToString("{13}");
            assertThat(view.search("zzz").isEmpty()).isTrue();
        }
        assertThat(dir.resolve(TextSearchIndex.FILE)).isRegularFile();
    }

    @Test
    void theSideFileIsReusedWhileTheRunIsAsItWasAndRebuiltWhenItIsNot() throws Exception {
        Path dir = run(500);
        Path side = dir.resolve(TextSearchIndex.FILE);
        BitSet first;
        try (ScannedRunView view = ScannedRunView.open(new RunDirectory(dir))) {
            first = view.search("hello");
        }
        FileTime built = Files.getLastModifiedTime(side);
        Files.setLastModifiedTime(side, FileTime.fromMillis(built.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(side);
        try (ScannedRunView view = ScannedRunView.open(new RunDirectory(dir))) {
            assertThat(view.search("hello")).isEqualTo(first);
        }
        assertThat(Files.getLastModifiedTime(side)).as("reused, not rebuilt").isEqualTo(marked);

        Files.write(side, new byte[] {1, 2, 3}, StandardOpenOption.TRUNCATE_EXISTING); // a foreign or damaged file
        try (ScannedRunView view = ScannedRunView.open(new RunDirectory(dir))) {
            assertThat(view.search("hello")).isEqualTo(first).isEqualTo(view.scan("hello"));
        }
        assertThat(Files.size(side)).as("rebuilt").isGreaterThan(3);

        Path columns = dir.resolve(RunColumns.FILE);
        Files.setLastModifiedTime(columns, FileTime.fromMillis(Files.getLastModifiedTime(columns).toMillis() + 5000));
        try (ScannedRunView view = ScannedRunView.open(new RunDirectory(dir))) {
            assertThat(view.search("hello")).isEqualTo(first);
        }
        assertThat(Files.getLastModifiedTime(side)).as("rebuilt for the new columns").isNotEqualTo(marked);
    }

    @Test
    void aStoppedBuildLeavesNoFile() throws Exception {
        Path dir = run(500);
        try (RunColumns columns = RunColumns.open(dir); InputTexts texts = new InputTexts(columns)) {
            assertThatThrownBy(() -> TextSearchIndex.openOrBuild(dir, columns, texts, s -> { }, () -> true))
                    .isInstanceOf(CancellationException.class);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(TextSearchIndex.FILE));
        }
    }

    @Test
    void anInputChangedAfterTheIndexWasBuiltIsTheErrorNamingIt() throws Exception {
        Path dir = run(200);
        Path input = tmp.resolve("in.jsonl");
        try (ScannedRunView view = ScannedRunView.open(new RunDirectory(dir))) {
            assertThat(view.search("row")).hasToString(view.scan("row").toString());
            Files.writeString(input, "\n", StandardOpenOption.APPEND);
            assertThatThrownBy(() -> view.search("hello")).isInstanceOf(InputChangedException.class)
                    .hasMessageContaining(input.toString());
        }
    }
}
