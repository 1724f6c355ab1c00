package org.admap.ingest;

import static org.admap.ingest.TestFiles.jsonl;
import static org.admap.ingest.TestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input fails with one line that names the file, the line (or row) and the field path,
 * so the user can go straight to the problem.
 */
class BadInputTest {

    private static final String GOOD = "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1}]}";

    @TempDir
    Path dir;

    /** Reads the file and returns the error, checking that its message is one line. */
    private IngestException failure(Path file, IngestOptions options) {
        IngestException e = catchThrowableOfType(IngestException.class, () -> readAll(file, options));
        assertThat(e).as("reading %s should fail", file).isNotNull();
        assertThat(e.getMessage()).as("one line").doesNotContain("\n").doesNotContain("\r");
        return e;
    }

    private IngestException failure(Path file) {
        return failure(file, IngestOptions.defaults());
    }

    @Test
    void nonNumericScoreNamesFileLineAndFieldPath() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD, GOOD,
                "{\"prompt\": \"p3\", \"responses\": [{\"text\": \"a\", \"score\": 1}, {\"text\": \"b\", \"score\": " +
                        "\"abc\"}]}");

        IngestException e = failure(file);

        assertThat(e.getMessage()).isEqualTo(file + ":3: field 'responses[1].score': expected a number, got \"abc\"");
        assertThat(e.location()).isEqualTo(SourceLocation.line(file.toString(), 3));
        assertThat(e.field()).isEqualTo("responses[1].score");
        assertThat(e.problem()).isEqualTo("expected a number, got \"abc\"");
        assertThat(e.isRowProblem()).isTrue();
    }

    @Test
    void malformedJsonLineNamesItsLine() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD, "{\"prompt\": \"p\", \"responses\": [", GOOD);

        IngestException e = failure(file);

        assertThat(e.getMessage()).startsWith(file + ":2: malformed JSON: ");
        assertThat(e.field()).isNull();
        assertThat(e.isRowProblem()).isTrue();
    }

    @Test
    void malformedFirstLineNamesLineOne() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "not json at all", GOOD);

        assertThat(failure(file).getMessage()).startsWith(file + ":1: malformed JSON: ");
    }

    @Test
    void lineThatIsNotAnObjectNamesItsLine() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD, "[1, 2]");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":2: expected a JSON object per line, got a list");
    }

    @Test
    void missingFieldNamesIt() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD, "{\"responses\": [\"a\"]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":2: field 'prompt': missing");
    }

    @Test
    void nullRequiredFieldCountsAsMissing() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": null, \"responses\": [\"a\"]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'prompt': missing");
    }

    @Test
    void missingNestedFieldNamesItsPath() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\"}, {\"score\": 2}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'responses[1].text': missing");
    }

    @Test
    void nanScoreAsPythonWritesItIsRejected() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD,
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": NaN}]}");

        assertThat(failure(file).getMessage()).startsWith(file + ":2: field 'responses[0].score': is NaN");
    }

    @Test
    void nanScoreWrittenAsAStringIsRejected() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": " +
                "\"nan\"}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'responses[0].score': expected a number,"
                + " got \"nan\"");
    }

    @Test
    void nanStringSpelledAsJavaDoesIsRejectedAsNaN() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": " +
                "\"NaN\"}]}");

        assertThat(failure(file).getMessage()).startsWith(file + ":1: field 'responses[0].score': is NaN");
    }

    @Test
    void infiniteScoresAreRejected() throws Exception {
        Path plus = jsonl(dir, "plus.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": " +
                "Infinity}]}");
        Path minus = jsonl(dir, "minus.jsonl",
                "{\"prompt\": \"p\", \"responses\": [\"x\", {\"text\": \"a\", \"score\": -Infinity}]}");
        Path overflow = jsonl(dir, "overflow.jsonl",
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"label\": \"1e999\"}]}");

        assertThat(failure(plus).getMessage()).isEqualTo(plus + ":1: field 'responses[0].score': is infinite;"
                + " a score must be finite");
        assertThat(failure(minus).getMessage()).startsWith(minus + ":1: field 'responses[1].score': is infinite");
        assertThat(failure(overflow).getMessage()).startsWith(overflow + ":1: field 'responses[0].label': is infinite");
    }

    @Test
    void booleanScoreIsNotANumber() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": true}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'responses[0].score': expected a number,"
                + " got a boolean (true)");
    }

    @Test
    void listWhereAScoreBelongsIsNotANumber() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"label\": [4]}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'responses[0].label': expected a number,"
                + " got a list");
    }

    @Test
    void responsesThatAreNotAListNameTheField() throws Exception {
        Path text = jsonl(dir, "text.jsonl", "{\"prompt\": \"p\", \"responses\": \"just one answer\"}");
        Path object = jsonl(dir, "object.jsonl", "{\"prompt\": \"p\", \"responses\": {\"text\": \"a\"}}");
        Path number = jsonl(dir, "number.jsonl", "{\"prompt\": \"p\", \"responses\": 4}");

        assertThat(failure(text).getMessage()).isEqualTo(text + ":1: field 'responses': expected a list,"
                + " got \"just one answer\"");
        assertThat(failure(object).getMessage()).isEqualTo(object + ":1: field 'responses': expected a list,"
                + " got an object");
        assertThat(failure(number).getMessage()).isEqualTo(number + ":1: field 'responses': expected a list, got 4");
    }

    @Test
    void responseThatIsNeitherObjectNorStringNamesItsIndex() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\", 7]}");

        assertThat(failure(file).getMessage()).startsWith(file + ":1: field 'responses[1]': expected an object")
                .endsWith("or a string, got 7");
    }

    @Test
    void responseTextThatIsNotAStringNamesItsPath() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": {\"value\": \"a\"}}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'responses[0].text': expected a string,"
                + " got an object");
    }

    @Test
    void emptyResponsesListIsAnError() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD, "{\"prompt\": \"p\", \"responses\": []}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":2: field 'responses': is empty;"
                + " an instruction needs responses");
    }

    @Test
    void chosenListWithRejectedStringNamesTheOddSide() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"q\","
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"a\"}], \"rejected\": \"b\"}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'rejected': is a string while the other"
                + " side is a message list");
    }

    @Test
    void chosenStringWithRejectedListNamesTheOddSide() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"q\", \"chosen\": \"a\","
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"b\"}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'chosen': is a message list while the"
                + " other side is a string");
    }

    @Test
    void scoreChosenWithoutScoreRejectedNamesTheMissingSide() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 8, " +
                        "\"score_rejected\": 3}",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 8}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":2: field 'score_rejected': missing while the other"
                + " side has a score");
    }

    @Test
    void notAvailableScoreOnOneSideOfAPairIsAMissingScore() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": \"N/A\", " +
                        "\"score_rejected\": 3}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'score_chosen': missing while the other"
                + " side has a score");
    }

    @Test
    void pairWithoutRejectedNamesIt() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": null}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":2: field 'rejected': missing");
    }

    @Test
    void chatMessageWithoutContentNamesItsPath() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"chosen\": [{\"role\": \"user\", \"content\": \"q\"},"
                + " {\"role\": \"assistant\", \"content\": \"a\"}], \"rejected\": [{\"role\": \"user\", \"content\": " +
                        "\"q\"},"
                + " {\"role\": \"assistant\"}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'rejected[1].content': missing");
    }

    @Test
    void badScoreInACsvRowNamesTheRow() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", """
                prompt,response,score
                p,a,1
                p,b,two
                """);

        assertThat(failure(file).getMessage()).isEqualTo(file + " row 2: field 'score': expected a number, got " +
                "\"two\"");
    }

    @Test
    void csvRowWithTheWrongNumberOfCellsNamesTheRow() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", """
                prompt,response,score
                p,a,1
                p,b
                """);

        assertThat(failure(file).getMessage()).isEqualTo(file + " row 2: has 2 cells, the header has 3");
    }

    @Test
    void csvResponsesCellWithMalformedJsonNamesTheField() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", "prompt,responses\np,\"[\"\"a\"\", \"\"b\"\"\"\n");

        assertThat(failure(file).getMessage()).startsWith(file + " row 1: field 'responses': holds malformed JSON: ");
    }

    @Test
    void csvHeaderWithAnEmptyNameIsAFileError() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", "prompt,,responses\np,x,\"[]\"\n");

        assertThat(failure(file).getMessage()).isEqualTo(file + ": bad CSV header: A header name is missing in"
                + " [prompt, , responses]");
    }

    @Test
    void unterminatedQuotedCsvCellIsAFileErrorNearItsRow() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", "prompt,response\np,a\nq,\"b\n");

        IngestException e = failure(file, IngestOptions.defaults().withSkipBadRows(true));

        assertThat(e.getMessage()).startsWith(file + ": malformed CSV near row 2: ");
        assertThat(e.isRowProblem()).as("the parser cannot find the next row").isFalse();
    }

    @Test
    void textAfterAClosingQuoteInCsvIsAFileErrorNearItsRow() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", "prompt,response\n\"p\"x,a\n");

        assertThat(failure(file).getMessage()).startsWith(file + ": malformed CSV near row 1: Invalid character"
                + " between encapsulated token and delimiter");
    }

    @Test
    void badScoreInAParquetRowNamesTheRow() throws Exception {
        Path file = dir.resolve("f.parquet");
        TestFiles.duckdb("COPY (SELECT * FROM (VALUES ('p', 'a', '1'), ('q', 'b', 'high')) t(prompt, response, score))"
                + " TO " + TestFiles.sqlPath(file) + " (FORMAT parquet)");

        assertThat(failure(file).getMessage()).isEqualTo(file + " row 2: field 'score': expected a number,"
                + " got \"high\"");
    }

    @Test
    void badElementOfAJsonArrayNamesTheLineItStartsOn() throws Exception {
        Path file = TestFiles.write(dir, "f.json", """
                [
                  {"prompt": "p", "responses": ["a"]},
                  {"prompt": "q",
                   "responses": [{"text": "b", "score": "high"}]}
                ]
                """);

        assertThat(failure(file).getMessage()).isEqualTo(file + ":3: field 'responses[0].score': expected a number,"
                + " got \"high\"");
    }

    @Test
    void malformedJsonArrayIsAFileErrorWithItsLine() throws Exception {
        Path file = TestFiles.write(dir, "f.json", """
                [
                  {"prompt": "p", "responses": ["a"]},
                  {"prompt": "q" "responses": ["b"]}
                ]
                """);

        IngestException e = failure(file, IngestOptions.defaults().withSkipBadRows(true));

        assertThat(e.getMessage()).startsWith(file + ": line 3: malformed JSON: ");
        assertThat(e.isRowProblem()).as("the rest of the array cannot be found after a syntax error").isFalse();
    }

    @Test
    void nonObjectElementOfAJsonArrayNamesItsLine() throws Exception {
        Path file = TestFiles.write(dir, "f.json", """
                [
                  {"prompt": "p", "responses": ["a"]},
                  "stray"
                ]
                """);

        assertThat(failure(file).getMessage()).isEqualTo(file + ":3: expected a JSON object in the array, got " +
                "\"stray\"");
    }

    @Test
    void jsonFileThatIsOneObjectRatherThanAnArrayFailsOnItsFirstLine() throws Exception {
        Path file = TestFiles.write(dir, "f.json", "{\n  \"prompt\": \"p\",\n  \"responses\": [\"a\"]\n}\n");

        assertThat(failure(file).getMessage()).startsWith(file + ":1: malformed JSON");
    }

    @Test
    void longTextInAMessageIsShortenedAndKeptOnOneLine() throws Exception {
        String value = "line one\nline two\nline three and a good deal more text after it";
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": "
                + JsonSupport.MAPPER.writeValueAsString(value) + "}]}");

        assertThat(failure(file).getMessage()).isEqualTo(file + ":1: field 'responses[0].score': expected a number,"
                + " got \"line one\\nline two\\nline three and a good ...\"");
    }

    @Test
    void shortenedTextInAMessageNeverCutsACharacterInHalf() throws Exception {
        String value = "x".repeat(39) + "\uD83D\uDE00" + "tail"; // the 40th character is an emoji, two chars in Java
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": \""
                + value + "\"}]}");

        assertThat(failure(file).getMessage()).endsWith("got \"" + "x".repeat(39) + "\uD83D\uDE00...\"");
    }

    @Test
    void textWithCarriageReturnsInAMessageStaysOnOneLine() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": " +
                "\"7\\r\\n8\"}]}");

        assertThat(failure(file).getMessage()).endsWith("got \"7\\r\\n8\"");
    }

    @Test
    void unrecognisedLayoutIsAFileErrorListingTheFieldsSeen() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"question\": \"q\", \"answer\": \"a\"}");

        IngestException e = failure(file, IngestOptions.defaults().withSkipBadRows(true));

        assertThat(e.getMessage()).startsWith(file + ": cannot recognise the layout from the first row's fields"
                + " [question, answer]");
        assertThat(e.isRowProblem()).isFalse();
    }

    @Test
    void scoreTransformThatBreaksAScoreNamesTheField() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 2}, {\"text\": \"b\", \"score\": " +
                        "0}]}");
        IngestOptions divide = IngestOptions.defaults().withScoreTransform(ScoreTransform.parse("1 / x"));

        assertThat(failure(file, divide).getMessage()).isEqualTo(file + ":1: field 'responses[1].score': score"
                + " transform '1 / x' turns 0.0 into Infinity");
    }

    @Test
    void missingLongLayoutFieldNamesTheMappedName() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"q\": {\"text\": \"p\"}, \"a\": \"r\"}", "{\"q\": {}, \"a\": \"r\"}");
        IngestOptions options = IngestOptions.defaults().withFields("q.text", "a", null, null, null, null);

        assertThat(failure(file, options).getMessage()).isEqualTo(file + ":2: field 'q.text': missing");
    }

    @Test
    void wrongUltraFeedbackRatingNamesTheAnnotationPath() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"instruction\": \"i\", \"completions\": ["
                + "{\"response\": \"a\", \"fine-grained_score\": 4, \"annotations\": {\"honesty\": {\"Rating\": " +
                        "\"5\"}}},"
                + "{\"response\": \"b\", \"fine-grained_score\": 3, \"annotations\": {\"honesty\": {\"Rating\": " +
                        "\"great\"}}}]}");
        IngestOptions options = new IngestOptions(Layout.AUTO, null, null, null, null, "honesty", null, null, null,
                null,
                ScoreTransform.IDENTITY, false, false);

        assertThat(failure(file, options).getMessage()).isEqualTo(file + ":1: field"
                + " 'completions[1].annotations.honesty.Rating': expected a number, got \"great\"");
    }

    @Test
    void firstBadRowStopsTheReadWithoutSkipping() throws Exception {
        Path file = jsonl(dir, "f.jsonl", GOOD, "{\"prompt\": 1, \"responses\": 2}", GOOD);

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ":2: ");
    }
}
