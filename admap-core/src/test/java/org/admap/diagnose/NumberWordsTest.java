package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumberWordsTest {

    @Test
    void wordsAreFlagRulesFormatOfEveryValueAndRepeatsAreKeptOnce() {
        NumberWords words = new NumberWords();
        double[] values = {0.0, -0.0, 0.65, 1.0 / 3, 123456.789, -2.5e-9, Double.NaN, Double.POSITIVE_INFINITY, 0.65};
        for (double v : values) {
            assertThat(words.of(v)).as("%s", v).isEqualTo(FlagRule.fmt(v));
        }
        assertThat(words.of(-0.0)).isEqualTo("-0.000");
        assertThat(words.size()).isEqualTo(values.length - 1); // 0.65 twice
    }

    @Test
    void beyondItsCapacityAValueIsStillFormattedButNotKept() {
        NumberWords words = new NumberWords();
        for (int i = 0; i < NumberWords.CAPACITY + 10; i++) {
            assertThat(words.of(i + 0.5)).isEqualTo(FlagRule.fmt(i + 0.5));
        }
        assertThat(words.size()).isEqualTo(NumberWords.CAPACITY);
        assertThat(words.of(NumberWords.CAPACITY + 5.5)).isEqualTo(FlagRule.fmt(NumberWords.CAPACITY + 5.5));
    }
}
