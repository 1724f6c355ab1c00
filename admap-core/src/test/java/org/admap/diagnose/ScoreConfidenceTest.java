package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoreConfidenceTest {

    @Test
    void aTopLevelConfidenceInZeroToOneIsRead() {
        assertThat(ScoreConfidence.JSON_FIELD.of("{\"rationale\": \"ok\", \"score\": 7, \"confidence\": 0.8}"))
                .isEqualTo(0.8);
        assertThat(ScoreConfidence.JSON_FIELD.of("Sure.\n```json\n{\"score\": 3, \"confidence\": 1}\n```"))
                .isEqualTo(1.0);
    }

    @Test
    void whatAdmapsScorersStoreTodayHasNone() {
        // the judge's rubric answer, a reward model's answer, no answer at all
        assertThat(ScoreConfidence.JSON_FIELD.of("```json\n{\"rationale\": \"Judged.\", \"score\": 7}\n```")).isNaN();
        assertThat(ScoreConfidence.JSON_FIELD.of("{\"data\": [{\"data\": [1.25]}]}")).isNaN();
        assertThat(ScoreConfidence.JSON_FIELD.of(null)).isNaN();
        assertThat(ScoreConfidence.NONE.of("{\"confidence\": 0.5}")).isNaN();
    }

    @Test
    void aConfidenceOutOfRangeOrNotANumberIsNone() {
        assertThat(ScoreConfidence.JSON_FIELD.of("{\"confidence\": 80}")).isNaN();
        assertThat(ScoreConfidence.JSON_FIELD.of("{\"confidence\": \"high\"}")).isNaN();
        assertThat(ScoreConfidence.JSON_FIELD.of("{\"confidence\": 0.8")).isNaN();
        assertThat(ScoreConfidence.JSON_FIELD.of("{\"scores\": [{\"confidence\": 0.8}]}")).as("not top-level").isNaN();
    }

    @Test
    void aStandardErrorIsAConfidenceOnItsScale() {
        assertThat(ScoreConfidence.fromStandardError(0, 1, 10)).isEqualTo(1);
        assertThat(ScoreConfidence.fromStandardError(4.5, 1, 10)).as("torn between the ends").isZero();
        assertThat(ScoreConfidence.fromStandardError(0.9, 1, 10)).isCloseTo(0.8, within(1e-12));
        assertThat(ScoreConfidence.fromStandardError(9, 1, 10)).as("clamped").isZero();
        assertThat(ScoreConfidence.fromStandardError(Double.NaN, 1, 10)).isNaN();
        assertThat(ScoreConfidence.fromStandardError(0.5, 3, 3)).as("no scale").isNaN();
    }
}
