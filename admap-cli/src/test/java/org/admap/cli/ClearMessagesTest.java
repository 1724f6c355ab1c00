package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.admap.internal.store.NamedOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A truncated gzip and a full disk give one line naming the file: the gzip said
 * "input ends unexpectedly (truncated file?): null", a full disk during a scanned map an
 * "internal error" with a trace.
 */
class ClearMessagesTest {

    @TempDir
    Path tmp;

    /** A stream over a full disk, as the JDK reports it. */
    private static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aWriteOnAFullDiskNamesTheFile() {
        OutputStream out = new NamedOutput(new FullDisk(), Path.of("run", "map.csv"));
        assertThatThrownBy(() -> out.write(new byte[] {1, 2}))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(Path.of("run", "map.csv") + ": No space left on device")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aFullDiskAnywhereInTheCausesIsOneLineNamingThePath() throws Exception {
        IOException named = null;
        try (OutputStream out = new NamedOutput(new FullDisk(), Path.of("run", "map.csv"))) {
            out.write(7);
        } catch (IOException e) {
            named = e;
        }
        // as it arrives from a writer thread of the scan
        Exception wrapped = new IllegalStateException(new ExecutionException(new UncheckedIOException(named)));
        String message = ErrorHandler.userMessage(wrapped);
        assertThat(message).isEqualTo(Path.of("run", "map.csv")
                + ": no space left on device (disk full); free some space, or write elsewhere");

        picocli.CommandLine cl = Main.newCommandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        int exit = new ErrorHandler().handleExecutionException(wrapped, cl, null);
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("internal error")
                .contains("map.csv: no space left on device");
    }

    @Test
    void aGzipWithoutItsTrailerNamesTheFileOnTheScanAndTheFullIngest() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            rows.append("{\"id\": \"q").append(i).append("\", \"prompt\": \"p").append(i)
                    .append("\", \"responses\": [{\"text\": \"a\", \"score\": 1}, {\"text\": \"b\", \"score\": 2}]}\n");
        }
        Path whole = tmp.resolve("whole.jsonl.gz");
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(whole))) {
            out.write(rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path noTrailer = tmp.resolve("no-trailer.jsonl.gz");
        Files.write(noTrailer, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        Path half = tmp.resolve("half.jsonl.gz");
        Files.write(half, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        for (Path f : new Path[] {noTrailer, half}) {
            for (String way : new String[] {"--threads=2", "--full-ingest"}) {
                Cli.Result r = Cli.run("map", f.toString(), "--out", tmp.resolve("run" + way).toString(), "-q", way);
                assertThat(r.exit()).as(r.toString()).isEqualTo(2);
                assertThat(r.err().strip()).as(r.toString()).doesNotContain("\n").doesNotContain("null")
                        .startsWith("admap: error: " + f + ": the gzip data ends unexpectedly (a truncated file");
            }
        }
    }
}
