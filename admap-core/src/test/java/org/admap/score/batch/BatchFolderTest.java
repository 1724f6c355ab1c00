package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFolderTest {

    @TempDir
    Path dir;

    @Test
    void namesAreSafeFileNames() {
        BatchFolder folder = new BatchFolder(dir);
        assertThat(folder.requestFile("batch_abc-1.x")).isEqualTo(dir.resolve("batch_abc-1.x.requests.jsonl"));
        assertThat(folder.unsubmitted("judge/gpt 4o", 3)).isEqualTo(dir.resolve("judge_gpt_4o+3.requests.jsonl"));
    }

    @Test
    void onlyTheSourcesUnsubmittedFilesAreDeleted() throws Exception {
        BatchFolder folder = new BatchFolder(dir);
        Files.writeString(folder.unsubmitted("judge", 1), "x");
        Files.writeString(folder.unsubmitted("judge", 2), "x");
        Files.writeString(folder.unsubmitted("other", 1), "x");
        Files.writeString(folder.requestFile("batch_1"), "x");

        folder.deleteUnsubmitted("judge");

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("other+1.requests.jsonl", "batch_1.requests.jsonl");
        }
    }

    @Test
    void aMissingFolderHasNothingToDelete() throws Exception {
        new BatchFolder(dir.resolve("absent")).deleteUnsubmitted("judge");
        assertThat(dir.resolve("absent")).doesNotExist();
    }
}
