package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A field option that names no field of the rows is an error naming what the rows have. */
class FieldGuardCommandTest {

    @TempDir
    Path tmp;

    private Path evals() throws Exception {
        Path data = tmp.resolve("evals.jsonl");
        Files.write(data, List.of(
                "{\"question\": \"q1\", \"answer\": \"a\", \"gpt4_score\": [5, 4, 5]}",
                "{\"question\": \"q1\", \"answer\": \"b\", \"gpt4_score\": [2, 2, 3]}"));
        return data;
    }

    @Test
    void aMisspeltScoreFieldIsAnErrorNotDataWithoutScores() throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", evals().toString(), "--prompt-field", "question", "--response-field", "answer",
                "--score-field", "scor", "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--score-field 'scor' names a field not in any of its 2 rows")
                .contains("fields seen: question, answer, gpt4_score").contains("did you mean 'gpt4_score'?");
        assertThat(r.out() + r.err()).doesNotContain("neither scores nor labels");
        assertThat(run).doesNotExist();
    }

    @Test
    void aListIndexSaysTheListIsReadAsSamples() throws Exception {
        Cli.Result r = Cli.run("map", evals().toString(), "--prompt-field", "question", "--response-field", "answer",
                "--score-field", "gpt4_score[0]", "--out", tmp.resolve("run").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("a list index is not read: give 'gpt4_score'");

        Cli.Result ok = Cli.run("map", evals().toString(), "--prompt-field", "question", "--response-field", "answer",
                "--score-field", "gpt4_score", "--out", tmp.resolve("run").toString(), "-q");
        assertThat(ok.exit()).as(ok.toString()).isZero();
    }
}
