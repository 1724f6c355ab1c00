package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs appear whole under their name or not at all, and no temporary file is left behind. */
class AtomicFileTest {

    @TempDir
    Path dir;

    private List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void commitMovesTheWrittenFileIntoPlace() throws Exception {
        Path target = dir.resolve("map.csv");

        try (AtomicFile out = new AtomicFile(target)) {
            out.stream().write("id,mean\n".getBytes(StandardCharsets.UTF_8));
            assertThat(target).as("nothing under the real name before commit").doesNotExist();
            assertThat(out.tempPath()).exists().hasParent(dir);
            out.commit();
        }

        assertThat(target).hasContent("id,mean");
        assertThat(filesIn(dir)).containsExactly(target);
    }

    @Test
    void closeWithoutCommitLeavesNoFileAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("map.csv");

        try (AtomicFile out = new AtomicFile(target)) {
            out.stream().write("half a fi".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void failureWhileWritingKeepsThePreviousFile() throws Exception {
        Path target = Files.writeString(dir.resolve("summary.json"), "{\"old\": true}");

        assertThatThrownBy(() -> {
            try (AtomicFile out = new AtomicFile(target)) {
                out.stream().write("{\"new\": ".getBytes(StandardCharsets.UTF_8));
                throw new IllegalStateException("crash half way");
            }
        }).hasMessage("crash half way");

        assertThat(target).hasContent("{\"old\": true}");
        assertThat(filesIn(dir)).containsExactly(target);
    }

    @Test
    void commitReplacesAnExistingFile() throws Exception {
        Path target = Files.writeString(dir.resolve("flags.csv"), "old content that is longer than the new");

        try (AtomicFile out = new AtomicFile(target)) {
            out.stream().write("new".getBytes(StandardCharsets.UTF_8));
            out.commit();
        }

        assertThat(target).hasContent("new");
        assertThat(filesIn(dir)).containsExactly(target);
    }

    @Test
    void commitWithoutWritingCreatesAnEmptyFile() throws Exception {
        Path target = dir.resolve("empty.txt");

        try (AtomicFile out = new AtomicFile(target)) {
            out.commit();
        }

        assertThat(target).exists().isEmptyFile();
    }

    @Test
    void fileWrittenByAnotherWriterAtTheTemporaryPathIsCommitted() throws Exception {
        Path target = dir.resolve("pairs.parquet");

        try (AtomicFile out = new AtomicFile(target)) {
            Files.writeString(out.tempPath(), "written by DuckDB's COPY");
            out.commit();
        }

        assertThat(target).hasContent("written by DuckDB's COPY");
        assertThat(filesIn(dir)).containsExactly(target);
    }

    @Test
    void temporaryPathWrittenButNotCommittedIsDeleted() throws Exception {
        Path target = dir.resolve("pairs.parquet");

        try (AtomicFile out = new AtomicFile(target)) {
            Files.writeString(out.tempPath(), "partial");
        }

        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void missingFoldersAreCreated() throws Exception {
        Path target = dir.resolve("a/b/out.txt");

        try (AtomicFile out = new AtomicFile(target)) {
            out.stream().write('x');
            out.commit();
        }

        assertThat(target).hasContent("x");
    }

    @Test
    void relativeTargetsWork() throws Exception {
        Path target = dir.resolve("rel.txt");
        Path relative = Path.of("").toAbsolutePath().relativize(target);

        try (AtomicFile out = new AtomicFile(relative)) {
            out.stream().write('y');
            out.commit();
        }

        assertThat(target).hasContent("y");
    }

    @Test
    void committedFileHasTheUsualPermissionsNotOwnerOnly() throws Exception {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "needs POSIX permissions");
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
        assumeTrue(!usual.equals(PosixFilePermissions.fromString("rw-------")),
                "the umask makes every new file owner-only; nothing to tell apart");
        Path target = dir.resolve("map.csv");

        try (AtomicFile out = new AtomicFile(target)) {
            out.stream().write('z');
            out.commit();
        }

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(usual);
    }

    @Test
    void commitIntoAPlaceThatCannotTakeAFileFailsAndCleansUp() throws Exception {
        Path target = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(target.resolve("inside"), "keep me");

        assertThatThrownBy(() -> {
            try (AtomicFile out = new AtomicFile(target)) {
                out.stream().write('w');
                out.commit();
            }
        }).isInstanceOf(IOException.class);

        assertThat(filesIn(dir)).containsExactly(target);
        assertThat(target.resolve("inside")).hasContent("keep me");
    }
}
