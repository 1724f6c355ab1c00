package org.admap.score.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.admap.score.ScoringAbortedException;
import org.junit.jupiter.api.Test;

/** The reward is read from every shape the servers answer with, and an answer without one says why. */
class RewardReplyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static JsonNode pooling(String data) throws Exception {
        return json("{\"object\": \"list\", \"data\": [{\"index\": 0, \"object\": \"pooling\", \"data\": " + data
                + "}], \"usage\": {\"prompt_tokens\": 12}}");
    }

    @Test
    void vllmANumberAListOrPerTokenListsGiveTheLastValue() throws Exception {
        assertThat(RewardReply.vllm(pooling("2.5")).value()).isEqualTo(2.5);
        assertThat(RewardReply.vllm(pooling("[-1.25]")).value()).isEqualTo(-1.25);
        assertThat(RewardReply.vllm(pooling("[0.1, 0.2, 3.0]")).value()).isEqualTo(3.0);
        assertThat(RewardReply.vllm(pooling("[[0.1, 9], [0.2, -4.5]]")).value()).isEqualTo(-4.5);
    }

    @Test
    void vllmAnswersWithoutANumberAreProblemsNotNumbers() throws Exception {
        assertThat(RewardReply.vllm(pooling("[]")).problem()).contains("empty list");
        assertThat(RewardReply.vllm(pooling("[[]]")).problem()).contains("empty list");
        assertThat(RewardReply.vllm(pooling("\"high\"")).problem()).contains("no number");
        assertThat(RewardReply.vllm(json("{\"data\": []}")).problem()).contains("no data[0]");
        assertThat(RewardReply.vllm(json("{\"error\": \"x\"}")).ok()).isFalse();
    }

    @Test
    void teiOneLabelIsTheRewardAndABatchOfOneIsUnwrapped() throws Exception {
        assertThat(RewardReply.tei(json("[{\"score\": -3.5, \"label\": \"LABEL_0\"}]"), null).value()).isEqualTo(-3.5);
        assertThat(RewardReply.tei(json("[[{\"score\": 1.5, \"label\": \"LABEL_0\"}]]"), null).value()).isEqualTo(1.5);
        assertThat(RewardReply.tei(json("[{\"score\": 1.5, \"label\": \"LABEL_0\"}]"), "LABEL_0").value())
                .isEqualTo(1.5);
    }

    @Test
    void teiSeveralLabelsNeedOneNamedWhateverTheirOrder() throws Exception {
        JsonNode answer = json("[{\"score\": 0.9, \"label\": \"bad\"}, {\"score\": 0.1, \"label\": \"good\"}]");
        assertThat(RewardReply.tei(answer, "good").value()).isEqualTo(0.1);
        assertThatThrownBy(() -> RewardReply.tei(answer, null)).isInstanceOf(ScoringAbortedException.class)
                .hasMessageContaining("2 labels (bad, good)").hasMessageContaining("--reward-label");
    }

    @Test
    void teiAnswersWithoutAScoreAreProblems() throws Exception {
        assertThat(RewardReply.tei(json("[]"), null).problem()).contains("not a list");
        assertThat(RewardReply.tei(json("{\"error\": \"overloaded\"}"), null).ok()).isFalse();
        assertThat(RewardReply.tei(json("[{\"score\": \"x\", \"label\": \"LABEL_0\"}]"), null).problem())
                .contains("not a number");
    }
}
