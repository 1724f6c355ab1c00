package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that passed silently are refused with file:line:field, by the scan and the full
 * ingest alike, and counted and skipped with {@code --skip-bad-rows}: bytes that are not
 * UTF-8 (were U+FFFD), a repeated key (kept the last value), a number as a prompt (became
 * text), a score whose square overflows (a variance of Infinity in map.csv).
 */
class BadValuesTest {

    private static final String GOOD = "{\"id\": \"ok\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\", " +
            "\"score\": 1},"
            + " {\"text\": \"b\", \"score\": 2}]}\n";

    @TempDir
    Path tmp;

    private Path jsonl(String name, byte[] badRow) throws Exception {
        Path f = tmp.resolve(name);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(GOOD.getBytes(StandardCharsets.UTF_8));
        b.write(badRow);
        b.write(GOOD.replace("\"ok\"", "\"ok2\"").getBytes(StandardCharsets.UTF_8));
        Files.write(f, b.toByteArray());
        return f;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Refused on both ways with this message; skipped and counted with --skip-bad-rows. */
    private void assertRefused(Path file, String message) {
        for (String way : new String[] {"--threads=2", "--full-ingest"}) {
            Cli.Result r = Cli.run("map", file.toString(), "--out", tmp.resolve("run" + way).toString(), "-q", way);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(way).isEqualTo("admap: error: " + file + ":2: " + message);
        }
        Path run = tmp.resolve("skipped-" + file.getFileName());
        Cli.Result r = Cli.run("map", file.toString(), "--out", run.toString(), "--skip-bad-rows");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2 instructions").contains("1 bad rows skipped");
    }

    @Test
    void bytesThatAreNotUtf8AreABadRowNotAReplacementCharacter() throws Exception {
        byte[] row = utf8("{\"id\": \"x\", \"prompt\": \"caf?\", \"responses\": [{\"text\": \"a\", \"score\": 1},"
                + " {\"text\": \"b\", \"score\": 2}]}\n");
        row[26] = (byte) 0xE9; // Latin-1's é
        assertRefused(jsonl("latin1.jsonl", row), "invalid UTF-8 (the bytes at 26 of the line are not a character);"
                + " the file must be UTF-8");
        // in a response text, which the scan never decodes
        byte[] inText = utf8("{\"id\": \"y\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a?\", \"score\": 1},"
                + " {\"text\": \"b\", \"score\": 2}]}\n");
        inText[49] = (byte) 0xFF;
        assertRefused(jsonl("in-text.jsonl", inText), "invalid UTF-8 (the bytes at 49 of the line are not a"
                + " character); the file must be UTF-8");
    }

    @Test
    void aRepeatedKeyIsRefusedNamingIt() throws Exception {
        assertRefused(jsonl("dup.jsonl", utf8("{\"id\": \"x\", \"prompt\": \"p\", \"prompt\": \"q\", \"responses\":"
                + " [{\"text\": \"a\", \"score\": 1}, {\"text\": \"b\", \"score\": 2}]}\n")),
                "malformed JSON: Duplicate field 'prompt'");
    }

    @Test
    void aNumberAsAPromptIsRefused() throws Exception {
        assertRefused(jsonl("number.jsonl", utf8("{\"id\": \"x\", \"prompt\": 5, \"responses\": [{\"text\": \"a\","
                + " \"score\": 1}, {\"text\": \"b\", \"score\": 2}]}\n")), "field 'prompt': expected a text, got 5");
    }

    @Test
    void aScoreWhoseSquareOverflowsIsRefused() throws Exception {
        assertRefused(jsonl("huge.jsonl", utf8("{\"id\": \"x\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\","
                + " \"score\": 1e308}, {\"text\": \"b\", \"score\": -1e308}]}\n")),
                "field 'responses[0].score': is 1.0E308: beyond +-1e150, whose square (the map's variance) overflows");
        // a large score that does not overflow is fine
        Path ok = jsonl("large.jsonl", utf8("{\"id\": \"x\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\","
                + " \"score\": 1e100}, {\"text\": \"b\", \"score\": -1e100}]}\n"));
        Cli.Result r = Cli.run("map", ok.toString(), "--out", tmp.resolve("large").toString(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aParquetIntegerPromptIsRefusedWithFileRowAndField() throws Exception {
        Path parquet = tmp.resolve("int-prompt.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM (VALUES ('a', 'p', [{'text': 'x', 'score': 1.0}, {'text': 'y', 'score': " +
                    "2.0}]),"
                    + " ('b', '42', [{'text': 'x', 'score': 1.0}, {'text': 'y', 'score': 2.0}])) t(id, prompt, " +
                            "responses))"
                    + " TO '" + tmp.resolve("text.parquet") + "' (FORMAT parquet)");
            st.execute("COPY (SELECT id, 42 AS prompt, responses FROM '" + tmp.resolve("text.parquet") + "') TO '"
                    + parquet + "' (FORMAT parquet)");
        }
        for (String way : new String[] {"--threads=2", "--full-ingest"}) {
            Cli.Result r = Cli.run("map", parquet.toString(), "--out", tmp.resolve("pq" + way).toString(), "-q", way);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(way).contains(parquet + " row 1").contains("field 'prompt': expected a text, got " +
                    "42");
        }
    }
}
