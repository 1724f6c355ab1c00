package org.admap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real public datasets of the admap workplace ({@code ../shared/data} beside the
 * repository). They are never copied into the repository: tests that need them call
 * {@link #require} and are skipped, with a message, where the folder is absent (a fresh
 * clone elsewhere).
 */
public final class RealData {

    private RealData() {
    }

    /** The repository root, as Maven passes it to the tests (the working directory otherwise). */
    public static Path repositoryRoot() {
        String root = System.getProperty("admap.repo.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    }

    /** {@code ../shared/data} relative to the repository root. */
    public static Path dataDir() {
        return repositoryRoot().resolve("..").resolve("shared").resolve("data").normalize();
    }

    /** The folder {@code name} of the shared data, or skips the calling test when it is absent. */
    public static Path require(String name) {
        Path dir = dataDir().resolve(name);
        assumeTrue(Files.isDirectory(dir), "skipped: real data " + dir + " is absent (it lives beside the"
                + " repository in the admap workplace, never in the repository)");
        return dir;
    }

    /** The bundled example data ({@code examples/demo.jsonl}). */
    public static Path demo() {
        return repositoryRoot().resolve("examples").resolve("demo.jsonl");
    }
}
