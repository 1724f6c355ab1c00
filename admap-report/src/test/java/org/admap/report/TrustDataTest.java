package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.admap.map.NoiseFrom;
import org.junit.jupiter.api.Test;

/**
 * The judge's own noise the trust section shows beside the stability, from summary.json's
 * {@code map.stability}: one judgment's sd {@code sqrt(judgment_variance)}, a score's
 * standard error {@code sqrt(judgment_variance / samples_per_score)}, and where the noise was
 * measured: the estimate's {@code noise_from} where the summary has it, else (a summary written
 * before it) inferred; nothing where the estimate gives no finite variance.
 */
class TrustDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode stability(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void theEstimatesOwnNoiseFromIsTakenOverTheInference() throws Exception {
        // a scorer's source of single judgments with a few lists of samples: one judgment per score is the most
        // common count, which the inference would read as log-probabilities; the estimate saw the lists
        String mixed = "{\"samples_per_score\": 1, \"judgment_variance\": 0.5, \"noise_from\": \"%s\"}";
        assertThat(TrustData.judgeNoise(stability(String.format(mixed, "samples")), "judge").from())
                .isEqualTo(NoiseFrom.SAMPLES);
        assertThat(TrustData.judgeNoise(stability(String.format(mixed, "mixed")), "judge").from())
                .isEqualTo(NoiseFrom.MIXED);
        assertThat(TrustData.judgeNoise(stability(String.format(mixed, "logprobs")), "input").from())
                .isEqualTo(NoiseFrom.LOGPROBS);
        // a value this admap does not know (a newer one's) is read as an old summary
        assertThat(TrustData.judgeNoise(stability(String.format(mixed, "telepathy")), "judge").from())
                .isEqualTo(NoiseFrom.LOGPROBS);
    }

    /** A summary written before noise_from (the rest of this class): the noise's origin is inferred. */
    @Test
    void aScorersSingleJudgmentTakesItsSpreadAsTheStandardErrorAndSaysItIsFromLogprobs() throws Exception {
        TrustData.JudgeNoise n = TrustData.judgeNoise(stability(
                "{\"samples_per_score\": 1, \"judgment_variance\": 0.36, \"calibration_responses\": 160}"), "judge");
        assertThat(n.judgmentSd()).isCloseTo(0.6, within(1e-12));
        assertThat(n.standardError()).isCloseTo(0.6, within(1e-12));
        assertThat(n.samples()).isEqualTo(1);
        assertThat(n.from()).isEqualTo(NoiseFrom.LOGPROBS);
    }

    @Test
    void threeJudgmentsPerScoreDivideTheVarianceByThree() throws Exception {
        TrustData.JudgeNoise n = TrustData.judgeNoise(stability(
                "{\"samples_per_score\": 3, \"judgment_variance\": 0.27}"), "judge");
        assertThat(n.judgmentSd()).isCloseTo(Math.sqrt(0.27), within(1e-12));
        assertThat(n.standardError()).isCloseTo(0.3, within(1e-12));
        assertThat(n.from()).isEqualTo(NoiseFrom.SAMPLES);
    }

    @Test
    void whereTheNoiseCameFromOtherThanLogprobs() throws Exception {
        assertThat(TrustData.judgeNoise(stability("{\"samples_per_score\": 1, \"judgment_variance\": 0.5,"
                + " \"calibration\": {\"share\": 0.1}}"), "judge").from()).isEqualTo(NoiseFrom.CALIBRATION);
        assertThat(TrustData.judgeNoise(stability("{\"samples_per_score\": 1, \"judgment_variance\": 0.5,"
                + " \"sample\": 0}"), "judge").from()).isEqualTo(NoiseFrom.SAMPLE);
        // input scores carry a standard error only from lists of grades, never from log-probabilities
        assertThat(TrustData.judgeNoise(stability("{\"samples_per_score\": 1, \"judgment_variance\": 0.5}"), "input")
                .from()).isEqualTo(NoiseFrom.SAMPLES);
    }

    @Test
    void noFiniteVarianceOrCountShowsNothing() throws Exception {
        // a run without uncertainty has no estimate at all; an older or odd one may lack or NaN a field
        assertThat(TrustData.judgeNoise(JSON.missingNode(), "judge")).isNull();
        assertThat(TrustData.judgeNoise(stability("{\"samples_per_score\": 1}"), "judge")).isNull();
        assertThat(TrustData.judgeNoise(stability("{\"judgment_variance\": 0.3}"), "judge")).isNull();
        assertThat(TrustData.judgeNoise(stability("{\"samples_per_score\": 1, \"judgment_variance\": \"NaN\"}"),
                "judge")).isNull();
        assertThat(TrustData.judgeNoise(stability("{\"samples_per_score\": 0, \"judgment_variance\": 0.3}"),
                "judge")).isNull();
    }
}
