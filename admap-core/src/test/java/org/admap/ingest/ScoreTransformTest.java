package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Score transforms: small arithmetic in one variable, with errors that point at the position. */
class ScoreTransformTest {

    @ParameterizedTest(name = "{0} at x = {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "x - 1                | 1.75 | 0.75",
        "(x - 1) / 4          | 5    | 1.0",
        "(x - 1) / 4          | 3    | 0.5",
        "preference - 1       | 2    | 1.0",
        "score_v2 * 2         | 3    | 6.0",
        "-x                   | 3    | -3.0",
        "--x                  | 3    | 3.0",
        "- - x                | 3    | 3.0",
        "x * -2               | 3    | -6.0",
        "-(x - 5)             | 3    | 2.0",
        "2 + 3 * x            | 2    | 8.0",
        "(2 + 3) * x          | 2    | 10.0",
        "2 * x + 3            | 2    | 7.0",
        "10 - 4 - x           | 3    | 3.0",
        "8 / 4 / x            | 2    | 1.0",
        "x - 1 - 2 * (x / 4)  | 8    | 3.0",
        "((x))                | 7    | 7.0",
        "1e3 * x              | 2    | 2000.0",
        "2.5E-1 * x           | 4    | 1.0",
        "1.5e+2 + x           | 0    | 150.0",
        ".5 * x               | 3    | 1.5",
        "x / 1E2              | 50   | 0.5",
        "x-1                  | 1    | 0.0",
        "x*2-x                | 1.25 | 1.25",
        "7                    | 99   | 7.0",
    })
    void expressionsEvaluateWithUsualPrecedenceAndLeftAssociativity(String expression, double x, double expected) {
        assertThat(ScoreTransform.parse(expression).apply(x)).isEqualTo(expected);
    }

    @Test
    void everyNameIsTheScore() {
        // A name stands for the score whatever it is, so 'a + b' doubles it.
        assertThat(ScoreTransform.parse("a + b").apply(2)).isEqualTo(4);
    }

    @Test
    void expressionIsKeptAsWrittenWithoutSurroundingSpace() {
        assertThat(ScoreTransform.parse("  (x - 1) / 4 \t")).hasToString("(x - 1) / 4");
    }

    @Test
    void onlyTheBuiltInIdentityCountsAsIdentity() {
        assertThat(ScoreTransform.IDENTITY.isIdentity()).isTrue();
        assertThat(ScoreTransform.IDENTITY).hasToString("x");
        assertThat(ScoreTransform.parse("x").isIdentity()).isFalse();
    }

    @ParameterizedTest(name = "''{0}'' fails at position {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "''           | 1 | expression ends too early",
        "'x -'        | 4 | expression ends too early",
        "'(x - 1'     | 7 | missing ')'",
        "'x $ 1'      | 3 | unexpected '$'",
        "'x ^ 2'      | 3 | unexpected '^'",
        "'x 1'        | 3 | unexpected '1'",
        "'2 * * x'    | 5 | unexpected '*'",
        "'+x'         | 1 | unexpected '+'",
        "')'          | 1 | unexpected ')'",
        "'(x - 1))'   | 8 | unexpected ')'",
        "'1.2.3 * x'  | 6 | bad number '1.2.3'",
        "'x + 1e'     | 7 | bad number '1e'",
    })
    void errorsGiveThePositionAndAnExample(String expression, int position, String what) {
        assertThatThrownBy(() -> ScoreTransform.parse(expression))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad score transform '" + expression + "' at position " + position + ": " + what
                        + " (expected an expression in x such as 'x - 1' or '(x - 1) / 4')");
    }

    @Test
    void nullExpressionIsRefused() {
        assertThatThrownBy(() -> ScoreTransform.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void divisionByZeroGivesInfinityForTheIngestToReject() {
        assertThat(ScoreTransform.parse("1 / x").apply(0)).isInfinite();
        assertThat(ScoreTransform.parse("x / x").apply(0)).isNaN();
    }
}
