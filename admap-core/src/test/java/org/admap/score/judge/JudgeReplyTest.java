package org.admap.score.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link JudgeReply} promises about a judge's free-form answer: it reads the score out of
 * fences, prose and lenient JSON, and never guesses a score it cannot read in [1, 10].
 */
class JudgeReplyTest {

    @Test
    void plainJsonScoreIsRead() {
        assertThat(JudgeReply.score("{\"score\": 7}")).hasValue(7.0);
    }

    @Test
    void fencedJsonWithALanguageTagIsRead() {
        String reply = "```json\n{\"score\": 8.5, \"reason\": \"clear\"}\n```";
        assertThat(JudgeReply.score(reply)).hasValue(8.5);
    }

    @Test
    void proseAroundTheJsonIsIgnored() {
        String reply = "Sure! Here is my verdict.\n{\"score\": 4}\nLet me know if you need more.";
        assertThat(JudgeReply.score(reply)).hasValue(4.0);
    }

    @Test
    void otherNumbersInTheProseDoNotBecomeTheScore() {
        String reply = "The answer lists 3 steps and 2 errors out of 10 claims. {\"score\": 6}";
        assertThat(JudgeReply.score(reply)).hasValue(6.0);
    }

    @Test
    void theFirstJsonValueWinsOverALaterOne() {
        // A judge that "revises" its verdict in a second object is not second-guessed: the first
        // JSON value in the answer is the answer, as a JSON reader would take it.
        String reply = "{\"score\": 3}\nOn reflection, perhaps {\"score\": 8}";
        assertThat(JudgeReply.score(reply)).hasValue(3.0);
    }

    @Test
    void theJsonScoreWinsOverAScoreFieldInTheProseAfterIt() {
        String reply = "{\"score\": 6}\nNote: an earlier draft said score: 9.";
        assertThat(JudgeReply.score(reply)).hasValue(6.0);
    }

    @Test
    void aJsonScoreOutsideTheScaleIsNotReplacedByAScoreInItsReasoning() {
        // The judge answered 85 (a 0-100 scale); the "score: 8" in its reasoning is not its verdict.
        String reply = "{\"reason\": \"helpfulness score: 8, honesty score: 9\", \"score\": 85}";
        assertThat(JudgeReply.score(reply)).isEmpty();
    }

    @Test
    void lenientJsonSingleQuotesTrailingCommaUnquotedNamesAndCommentsIsRead() {
        assertThat(JudgeReply.score("{'score': 9,}")).hasValue(9.0);
        assertThat(JudgeReply.score("{score: 2 /* harsh */}")).hasValue(2.0);
    }

    @Test
    void aScoreWrittenAsANumberInAStringIsRead() {
        assertThat(JudgeReply.score("{\"score\": \" 5 \"}")).hasValue(5.0);
    }

    @Test
    void aScoreWrittenAsAWordIsNotGuessed() {
        assertThat(JudgeReply.score("{\"score\": \"seven\"}")).isEmpty();
        assertThat(JudgeReply.score("I would give it a seven.")).isEmpty();
    }

    @Test
    void aTruncatedAnswerStillYieldsTheScoreWrittenBeforeTheCut() {
        String reply = "{\"score\": 7, \"reason\": \"the response covers the main points but";
        assertThat(JudgeReply.json(reply)).isNull();
        assertThat(JudgeReply.score(reply)).hasValue(7.0);
    }

    @Test
    void anAnswerCutByMaxTokensInsideANestedObjectStillYieldsItsScore() {
        // The last '}' closes the nested object, so the cut JSON does not parse; the score field
        // written before the cut is still read.
        String reply = "```json\n{\"score\": 9, \"details\": {\"clarity\": 9}, \"reason\": \"concise and";
        assertThat(JudgeReply.json(reply)).isNull();
        assertThat(JudgeReply.score(reply)).hasValue(9.0);
    }

    @Test
    void listedScoresCutByMaxTokensAreRefused() {
        assertThat(JudgeReply.scores("{\"scores\": [{\"score\": 4}, {\"score\": 7}, {\"sco", 3)).isEmpty();
    }

    @Test
    void anAnswerCutBeforeTheScoreHasNone() {
        assertThat(JudgeReply.score("{\"reason\": \"the response covers")).isEmpty();
        assertThat(JudgeReply.score("{\"score\": ")).isEmpty();
    }

    @Test
    void scoresOutsideTheScaleAreRejectedNotClamped() {
        assertThat(JudgeReply.score("{\"score\": 11}")).isEmpty();
        assertThat(JudgeReply.score("{\"score\": 0}")).isEmpty();
        assertThat(JudgeReply.score("{\"score\": -3}")).isEmpty();
        assertThat(JudgeReply.score("score: 100")).isEmpty();
        assertThat(JudgeReply.score("{\"score\": 1e3}")).isEmpty();
    }

    @Test
    void theEndsOfTheScaleAreInside() {
        assertThat(JudgeReply.score("{\"score\": 1}")).hasValue(JudgeReply.MIN);
        assertThat(JudgeReply.score("{\"score\": 10}")).hasValue(JudgeReply.MAX);
    }

    @Test
    void aScoreFieldInProseIsReadWhenThereIsNoJson() {
        assertThat(JudgeReply.score("score: 3.5 — the answer is mostly wrong.")).hasValue(3.5);
        assertThat(JudgeReply.score("\"score\"=8")).hasValue(8.0);
    }

    @Test
    void emptyAndNullAnswersHaveNoScore() {
        assertThat(JudgeReply.score(null)).isEmpty();
        assertThat(JudgeReply.score("")).isEmpty();
        assertThat(JudgeReply.score("no idea")).isEmpty();
        assertThat(JudgeReply.json(null)).isNull();
    }

    @Test
    void aspectsAreAllOrNothing() {
        List<String> names = List.of("helpfulness", "honesty");
        assertThat(JudgeReply.aspects("```\n{\"helpfulness\": 6, \"honesty\": \"9\"}\n```", names))
                .containsExactly(Map.entry("helpfulness", 6.0), Map.entry("honesty", 9.0));
        assertThat(JudgeReply.aspects("{\"helpfulness\": 6}", names)).isEmpty();
        assertThat(JudgeReply.aspects("{\"helpfulness\": 6, \"honesty\": 12}", names)).isEmpty();
        assertThat(JudgeReply.aspects("[6, 9]", names)).isEmpty();
    }

    @Test
    void listedScoresKeepTheOrderShown() {
        assertThat(JudgeReply.scores("[3, 8]", 2)).containsExactly(3.0, 8.0);
        assertThat(JudgeReply.scores("Verdict: {\"scores\": [{\"score\": 2}, {\"score\": 9}]}", 2))
                .containsExactly(2.0, 9.0);
    }

    @Test
    void listedScoresAreMovedToTheResponseTheyName() {
        String reply = "{\"scores\": [{\"response\": 2, \"score\": 4}, {\"response\": \"1\", \"score\": 7}]}";
        assertThat(JudgeReply.scores(reply, 2)).containsExactly(7.0, 4.0);
    }

    @Test
    void listedScoresAreRejectedUnlessExactlyNCanBeRead() {
        assertThat(JudgeReply.scores("[3, 8, 5]", 2)).isEmpty();
        assertThat(JudgeReply.scores("[3]", 2)).isEmpty();
        assertThat(JudgeReply.scores("[3, 11]", 2)).isEmpty();
        assertThat(JudgeReply.scores("[3, \"good\"]", 2)).isEmpty();
        assertThat(JudgeReply.scores("[{\"response\": 1, \"score\": 3}, {\"response\": 1, \"score\": 5}]", 2))
                .isEmpty();
        assertThat(JudgeReply.scores("[{\"response\": 3, \"score\": 3}, {\"response\": 1, \"score\": 5}]", 2))
                .isEmpty();
        assertThat(JudgeReply.scores("[3, 8", 2)).isEmpty();
    }
}
