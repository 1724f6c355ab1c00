package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables to join, read as if each were a dataset, are caught before anything is stored. */
class TableMixTest {

    @TempDir
    Path tmp;

    private Path write(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    private Path questions() throws Exception {
        return write("question.jsonl", "{\"question_id\": 1, \"text\": \"Why?\", \"category\": \"generic\"}");
    }

    private Path answers() throws Exception {
        return write("answer.jsonl", "{\"answer_id\": \"a\", \"question_id\": 1, \"model_id\": \"m\", \"text\": " +
                "\"So.\"}");
    }

    @Test
    void theSameFieldAsPromptAndResponseWouldStoreEveryQuestionAsItsOwnResponse() throws Exception {
        IngestOptions o = IngestOptions.defaults().withLayout(Layout.LONG)
                .withFields("text", "text", null, null, null, "question_id");
        assertThatThrownBy(() -> TableMix.check(List.of(questions(), answers()), o))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("question.jsonl: the prompt and the response are both read from field 'text'")
                .hasMessageContaining("admap map --query").hasMessageContaining("USING (question_id)");
    }

    @Test
    void aTableOfQuestionsAmongResponsesIsNamed() throws Exception {
        Path responses = write("responses.jsonl", "{\"text\": \"Why?\", \"answer\": \"So.\", \"question_id\": 1}");
        IngestOptions o = IngestOptions.defaults().withFields("text", "answer", null, null, null, null);
        assertThat(TableMix.problems(List.of(questions(), responses), o)).singleElement().asString()
                .contains("question.jsonl: its rows have the prompt field 'text' but no response field 'answer'")
                .contains("looks like a table of questions");
    }

    @Test
    void unrecognisedFilesThatShareAnIdFieldAreToldToJoin() throws Exception {
        List<String> problems = TableMix.problems(List.of(questions(), answers()), IngestOptions.defaults());
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("cannot recognise the layout")
                .contains("the files share the id field question_id, so they look like tables to join")
                .contains("--query");
    }

    @Test
    void ordinaryFilesPass() throws Exception {
        Path a = write("a.jsonl", "{\"prompt\": \"p\", \"response\": \"r\", \"score\": 1}");
        Path b = write("b.jsonl", "{\"prompt\": \"q\", \"chosen\": \"x\", \"rejected\": \"y\"}");
        assertThat(TableMix.problems(List.of(a, b), IngestOptions.defaults())).isEmpty();
        // one unrecognised file alone: the ingest's own error is the whole story
        assertThat(TableMix.problems(List.of(questions()), IngestOptions.defaults())).isEmpty();
    }

    @Test
    void oneFileWhosePromptEmbedsTheResponseAndNamesItsInstructionIsNotATableMix() throws Exception {
        // Prometheus: the grading prompt holds the response it grades; rows carry the instruction's idx.
        Path graded = write("graded.jsonl", "{\"idx\": \"1\", \"instruction\": \"Grade: ... Response: So.\","
                + " \"gpt4_score\": [4, 5, 4]}");
        IngestOptions o = IngestOptions.defaults().withLayout(Layout.LONG)
                .withFields("instruction", "instruction", "gpt4_score", null, null, "idx");
        assertThat(TableMix.problems(List.of(graded), o)).isEmpty();
        assertThat(TableMix.problems(List.of(graded), o.withFields("instruction", "instruction", "gpt4_score", null,
                null, null))).singleElement().asString().contains("both read from field 'instruction'");
    }

    @Test
    void onVicuna80TheNaiveMapOfQuestionsAndAnswersIsCaught() throws Exception {
        Path d = RealData.require("vicuna80-gpt4");
        List<Path> files = List.of(d.resolve("question.jsonl.gz"), d.resolve("answer/answer_bard.jsonl.gz"));
        assertThat(TableMix.problems(files, IngestOptions.defaults()).get(0))
                .contains("share the id field question_id");
        IngestOptions textAsBoth = IngestOptions.defaults().withLayout(Layout.LONG)
                .withFields("text", "text", null, null, null, null);
        assertThat(TableMix.problems(files, textAsBoth).get(0)).contains("both read from field 'text'");
    }
}
