package org.admap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The data scientist's peer: the map in Python with the json module and numpy
 * ({@code bench/map_numpy.py}), run as a child process. Absent (with the reason) where
 * python3 or numpy is not installed.
 */
public final class NumpyReference {

    private final Path script;

    private NumpyReference(Path script) {
        this.script = script;
    }

    /**
     * Writes the script into {@code dir} and checks that python3 with numpy runs it.
     *
     * @return the reference, or null with the reason printed by the caller from {@link #whyMissing}
     */
    public static NumpyReference prepare(Path dir) throws IOException {
        return whyMissing() == null ? new NumpyReference(writeScript(dir)) : null;
    }

    /** Why the reference cannot run here, or null when it can. */
    public static String whyMissing() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "numpy is not installed for python3";
            }
            return null;
        } catch (IOException e) {
            return "python3 is not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path writeScript(Path dir) throws IOException {
        Path script = dir.resolve("map_numpy.py");
        Files.writeString(script, DuckDbReference.load("map_numpy.py"), StandardCharsets.UTF_8);
        return script;
    }

    /** The command that maps {@code input} into {@code outputCsv}. */
    public List<String> command(Path input, Path outputCsv) {
        return List.of("python3", script.toString(), input.toString(), outputCsv.toString());
    }
}
