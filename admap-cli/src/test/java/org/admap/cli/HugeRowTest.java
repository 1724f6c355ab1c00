package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row too large for the heap gets one clean line naming the file, the line, how much was
 * read and what to do, wherever it is: as the first row (read to recognise the layout,
 * which crashed with a stack trace) as well as further down, on the scan and on the full
 * ingest. In a child JVM with a small heap.
 */
class HugeRowTest {

    private static final String SMALL_ROW =
            "{\"id\": \"s\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1}, {\"text\": \"b\", " +
                    "\"score\": 2}]}";

    @TempDir
    Path tmp;

    private Path file(String name, int hugeAt) throws IOException {
        Path f = tmp.resolve(name);
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            for (int row = 1; row <= 4; row++) {
                if (row == hugeAt) {
                    w.write("{\"id\": \"huge\", \"prompt\": \"");
                    char[] block = new char[1 << 20];
                    java.util.Arrays.fill(block, 'x');
                    for (int mb = 0; mb < 48; mb++) {
                        w.write(block);
                    }
                    w.write("\", \"responses\": [{\"text\": \"a\", \"score\": 1}, {\"text\": \"b\", \"score\": 2}]}\n");
                } else {
                    w.write(SMALL_ROW.replace("\"s\"", "\"s" + row + "\"") + "\n");
                }
            }
        }
        return f;
    }

    private record Child(int exit, String err) {
    }

    private Child admap(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("admap ended").isTrue();
        return new Child(p.exitValue(), Files.readString(err));
    }

    private static void assertClean(Child c, String... expected) {
        assertThat(c.exit()).as(c.err()).isEqualTo(2);
        assertThat(c.err().strip()).as("one line").doesNotContain("\n").startsWith("admap: error: ")
                .doesNotContain("Exception").doesNotContain("\tat ").contains("ADMAP_JAVA_OPTS=-Xmx");
        assertThat(c.err()).contains(expected);
    }

    @Test
    void aHugeFirstRowGetsACleanMessageNamingFileLineAndSize() throws Exception {
        Path first = file("first.jsonl", 1);
        for (String way : new String[] {"--threads=2", "--full-ingest"}) {
            Child c = admap("map", first.toString(), "--out", tmp.resolve("run" + way).toString(), "-q", way);
            assertClean(c, first + ":1: this row is too large for Java's heap", " MB read of it when memory ran out");
        }
    }

    @Test
    void aHugeFourthRowGetsACleanMessageToo() throws Exception {
        Path fourth = file("fourth.jsonl", 4);
        assertClean(admap("map", fourth.toString(), "--out", tmp.resolve("full").toString(), "-q", "--full-ingest"),
                fourth + ":4: this row is too large");
        assertClean(admap("map", fourth.toString(), "--out", tmp.resolve("scan").toString(), "-q"),
                fourth.toString());
    }
}
