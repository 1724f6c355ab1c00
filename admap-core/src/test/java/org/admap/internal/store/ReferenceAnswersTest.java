package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference answers are kept once per (prompt, writer) and survive the store's reopening. */
class ReferenceAnswersTest {

    @TempDir
    Path dir;

    @Test
    void anAnswerIsStoredOncePerPromptAndWriterAndReadBackAfterReopening() {
        Path file = dir.resolve(RunStore.FILE_NAME);
        try (RunStore store = RunStore.create(file); ReferenceAnswers answers = ReferenceAnswers.open(store)) {
            assertThat(answers.contains("p1", "gpt")).isFalse();
            assertThat(answers.putIfAbsent(new ReferenceAnswers.Answer("p1", "gpt", "Paris.", 12, 3, 0.001,
                    Instant.now()))).isTrue();
            assertThat(answers.putIfAbsent(new ReferenceAnswers.Answer("p1", "gpt", "Lyon.", 1, 1, 1,
                    Instant.now()))).isFalse();
            assertThat(answers.putIfAbsent(new ReferenceAnswers.Answer("p1", ReferenceAnswers.DATA, "Paris!", 0, 0, 0,
                    null))).isTrue();
        }
        try (RunStore store = RunStore.open(file); ReferenceAnswers answers = ReferenceAnswers.open(store)) {
            ReferenceAnswers.Answer a = answers.get("p1", "gpt").orElseThrow();
            assertThat(a.text()).isEqualTo("Paris.");
            assertThat(a.tokensIn()).isEqualTo(12);
            assertThat(a.tokensOut()).isEqualTo(3);
            assertThat(a.costUsd()).isEqualTo(0.001);
            assertThat(a.created()).isNotNull();
            assertThat(answers.get("p1", ReferenceAnswers.DATA).orElseThrow().text()).isEqualTo("Paris!");
            assertThat(answers.get("p2", "gpt")).isEmpty();
            assertThat(answers.count("gpt")).isEqualTo(1);
        }
    }

    @Test
    void instructionsWithABlankOrNoReferenceAreTheOnesToWrite() throws Exception {
        Path data = TestFiles.jsonl(dir, "refs.jsonl",
                "{\"prompt\": \"a\", \"reference\": \"A.\", \"responses\": [\"x\", \"y\"]}",
                "{\"prompt\": \"b\", \"reference\": \" \\n\\t\", \"responses\": [\"x\", \"y\"]}",
                "{\"prompt\": \"c\", \"responses\": [\"x\", \"y\"]}");
        try (RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME))) {
            Ingest.run(List.of(data), IngestOptions.defaults(), store, Progress.Factory.NONE);
            assertThat(ReferenceAnswers.itemsWithoutReference(store)).isEqualTo(2);
        }
    }
}
