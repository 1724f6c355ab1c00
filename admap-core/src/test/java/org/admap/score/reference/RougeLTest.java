package org.admap.score.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** ROUGE-L F1 over words, checked by hand on small cases and by its properties on many. */
class RougeLTest {

    @Test
    void oneSubstitutedWordLeavesFiveOfSixInOrder() {
        RougeL.Score s = RougeL.score("the cat sat on the mat", "the cat lay on the mat");
        assertThat(s.lcs()).isEqualTo(5);
        assertThat(s.precision()).isEqualTo(5.0 / 6);
        assertThat(s.recall()).isEqualTo(5.0 / 6);
        assertThat(s.f1()).isCloseTo(5.0 / 6, within(1e-15));
    }

    @Test
    void precisionIsOverTheCandidateAndRecallOverTheReference() {
        // candidate a b c d, reference a x c y d: LCS "a c d"
        RougeL.Score s = RougeL.score("A b C d", "a x c y d");
        assertThat(s.lcs()).isEqualTo(3);
        assertThat(s.precision()).isEqualTo(3.0 / 4);
        assertThat(s.recall()).isEqualTo(3.0 / 5);
        // 2PR/(P+R) = 2 * 0.75 * 0.6 / 1.35 = 2/3
        assertThat(s.f1()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void orderMattersNotJustTheWords() {
        assertThat(RougeL.f1("a b c", "c b a")).isCloseTo(1.0 / 3, within(1e-15)); // LCS of 1 word
        assertThat(RougeL.f1("the the the", "the")).isEqualTo(0.5); // LCS 1: 2*1/(3+1)
    }

    @Test
    void caseAndPunctuationAreIgnoredAndEveryScriptIsKept() {
        assertThat(RougeL.f1("Hello, World!", "hello world")).isEqualTo(1.0);
        assertThat(RougeL.tokens("Größe ändern: 3,5 km/h")).containsExactly("größe", "ändern", "3", "5", "km", "h");
        assertThat(RougeL.f1("Größe ändern", "GRÖSSE größe")).isCloseTo(0.5, within(1e-15));
        assertThat(RougeL.tokens("Привет, мир")).containsExactly("привет", "мир");
    }

    @Test
    void aTextWithoutWordsScoresZero() {
        assertThat(RougeL.f1("!!! ...", "!!! ...")).isZero();
        assertThat(RougeL.f1("", "something")).isZero();
        assertThat(RougeL.f1("something", "   ")).isZero();
    }

    /** Texts of short words over a small alphabet (so they share words often), mixed case and separators. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> word = Arbitraries.strings().withChars("aBcDeF").ofMinLength(1).ofMaxLength(3);
        Arbitrary<String> separator = Arbitraries.of(" ", ", ", ".\n", " - ", "  ");
        return Combinators.combine(word, separator).as((w, sep) -> w + sep).list().ofMaxSize(25)
                .map(parts -> String.join("", parts));
    }

    @Property
    void f1IsAlwaysBetweenZeroAndOne(@ForAll("texts") String a, @ForAll("texts") String b) {
        assertThat(RougeL.f1(a, b)).isBetween(0.0, 1.0);
    }

    @Property
    void f1IsSymmetric(@ForAll("texts") String a, @ForAll("texts") String b) {
        assertThat(RougeL.f1(a, b)).isEqualTo(RougeL.f1(b, a));
    }

    @Property
    void identicalTextsWithWordsScoreOne(@ForAll("texts") String a) {
        if (!RougeL.tokens(a).isEmpty()) {
            assertThat(RougeL.f1(a, a)).isEqualTo(1.0);
            assertThat(RougeL.f1(a, a.toUpperCase() + " ")).isEqualTo(1.0);
        }
    }

    @Property
    void textsWithNoWordInCommonScoreZero(@ForAll("texts") String a, @ForAll("texts") String b) {
        // b's words are spelt with letters a's cannot contain
        String other = b.toLowerCase().replace('a', 'u').replace('b', 'v').replace('c', 'w').replace('d', 'x')
                .replace('e', 'y').replace('f', 'z');
        assertThat(RougeL.f1(a, other)).isZero();
    }

    @Property
    void theLcsIsNoLongerThanTheShorterTextAndGrowsWithAPrefix(@ForAll("texts") String a, @ForAll("texts") String b) {
        List<String> x = RougeL.tokens(a);
        List<String> y = RougeL.tokens(b);
        int l = RougeL.lcs(x, y);
        assertThat(l).isBetween(0, Math.min(x.size(), y.size()));
        assertThat(RougeL.lcs(RougeL.tokens(a + " " + b), y)).isEqualTo(y.size());
    }
}
