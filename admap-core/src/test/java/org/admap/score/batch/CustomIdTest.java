package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The custom id of a request line: its sample part, and the first judgment's form of before samples. */
class CustomIdTest {

    @Test
    void theFirstJudgmentKeepsTheFormWithoutASampleAndTheOthersCarryTheirs() {
        assertThat(new CustomId("f00d", 41, List.of(0, 2), 0)).hasToString("admap:f00d:41:0,2");
        assertThat(new CustomId("f00d", 41, List.of(0, 2), 3)).hasToString("admap:f00d:41:0,2:3");
        assertThat(CustomId.parse("admap:f00d:41:0,2")).isEqualTo(new CustomId("f00d", 41, List.of(0, 2), 0));
        assertThat(CustomId.parse("admap:f00d:41:0,2:3")).isEqualTo(new CustomId("f00d", 41, List.of(0, 2), 3));
        CustomId id = new CustomId("f00d", 7, List.of(1), 12);
        assertThat(CustomId.parse(id.toString())).isEqualTo(id);
    }

    @Test
    void aSamplePartThatIsNotAdmapsIsNoId() {
        assertThat(CustomId.parse("admap:f00d:41:0,2:0")).as("sample 0 has one form only").isNull();
        assertThat(CustomId.parse("admap:f00d:41:0,2:-1")).isNull();
        assertThat(CustomId.parse("admap:f00d:41:0,2:x")).isNull();
        assertThat(CustomId.parse("admap:f00d:41:0,2:1:2")).isNull();
        assertThat(CustomId.parse("admap:f00d:41:0,2:")).isNull();
    }
}
