package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DuplicatesTest {

    private static Duplicates find(Object[]... items) {
        Duplicates.Finder f = new Duplicates.Finder();
        for (int key = 0; key < items.length; key++) {
            @SuppressWarnings("unchecked")
            List<String> responses = (List<String>) items[key][1];
            f.accept(key, "q" + key, (String) items[key][0], responses);
        }
        return f.finish();
    }

    private static Object[] item(String prompt, String... responses) {
        return new Object[] {prompt, List.of(responses)};
    }

    @Test
    void responsesThatDifferOnlyInWhitespaceAreDuplicates() {
        Duplicates d = find(
                item("p", "Weather is short-term.\nClimate is long-term. ", "Weather is  short-term. Climate is " +
                        "long-term.",
                        "Something else", "something else"),
                item("q", "a", "b", "c"));

        assertThat(d.get(0).duplicateResponses()).as("case matters in responses").isEqualTo(1);
        assertThat(d.get(0).responses()).isEqualTo(4);
        assertThat(d.get(1)).isNull();
        assertThat(d.withDuplicateResponses()).isEqualTo(1);
    }

    @Test
    void anInstructionRepeatedExactlyOrAfterNormalisingIsFlaggedAfterItsFirstOccurrence() {
        Duplicates d = find(
                item("What is the capital of France?", "Paris.", "Lyon.", "Nice."),
                item("Explain photosynthesis.", "x", "y", "z"),
                item("What is the capital of France?", "It is Paris.", "Paris!", "Marseille."),
                item("  what is THE capital of france ", "a", "b", "c"),
                item("What is the capital of Spain?", "Madrid", "Seville", "Bilbao"));

        assertThat(d.get(0)).isNull();
        assertThat(d.get(2).duplicateOf()).isEqualTo(new Duplicates.Instruction(0, "q0", Duplicates.Kind.EXACT));
        assertThat(d.get(3).duplicateOf()).isEqualTo(new Duplicates.Instruction(0, "q0", Duplicates.Kind.NORMALISED));
        assertThat(d.get(4)).isNull();
        assertThat(d.repeats()).isEqualTo(2);
        assertThat(d.normalisedRepeats()).isEqualTo(1);
        assertThat(d.groups()).isEqualTo(1);
    }

    @Test
    void preferencePairsRepeatOnlyWhenTheyCompareTheSameTwoResponses() {
        Duplicates d = find(
                item("Rewrite: hello", "Hi.", "Hello there."),
                item("Rewrite: hello", "Hey.", "Hello there."),      // same prompt, another comparison
                item("Rewrite: hello", "Hello there.", "Hi."),       // the first comparison, order swapped
                item("rewrite hello", "Hi. ", "Hello  there."));     // the same, normalised

        assertThat(d.get(1)).isNull();
        assertThat(d.get(2).duplicateOf().key()).isZero();
        assertThat(d.get(2).duplicateOf().kind()).isEqualTo(Duplicates.Kind.EXACT);
        assertThat(d.get(3).duplicateOf().kind()).isEqualTo(Duplicates.Kind.NORMALISED);
        assertThat(d.groups()).isEqualTo(1);
    }

    @Test
    void aRepeatOfARepeatPointsAtItsExactTwinAndCountsInOneGroup() {
        Duplicates d = find(item("Hello, world", "a", "b", "c"), item("hello world", "a", "b", "c"),
                item("hello world", "a", "b", "c"));

        assertThat(d.get(1).duplicateOf().kind()).isEqualTo(Duplicates.Kind.NORMALISED);
        assertThat(d.get(2).duplicateOf()).isEqualTo(new Duplicates.Instruction(1, "q1", Duplicates.Kind.EXACT));
        assertThat(d.groups()).isEqualTo(1);
        assertThat(d.repeats()).isEqualTo(2);
    }

    @Test
    void normalisationFoldsCaseWidthPunctuationAndWhitespace() {
        assertThat(Duplicates.normalise("  Ｗhat's  THE\tanswer?! ")).isEqualTo("what s the answer");
        assertThat(Duplicates.normalise("naïve café — 3 + 4 = 7")).isEqualTo("naïve café 3 4 7");
        assertThat(Duplicates.whitespace(" a \n\n b\t")).isEqualTo("a b");
    }

    @Property(tries = 50)
    void everyRepeatPointsAtAnEarlierInstructionAndTheFirstsAreNeverFlagged(
            @ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        Duplicates.Finder f = new Duplicates.Finder();
        java.util.Map<String, Integer> firstByNormalised = new java.util.HashMap<>();
        for (int key = 0; key < n; key++) {
            String prompt = (random.nextBoolean() ? "Q" : "q") + random.nextInt(20) + (random.nextBoolean() ? "?" : "");
            f.accept(key, "id" + key, prompt, List.of("a" + key, "b", "c"));
            firstByNormalised.putIfAbsent(Duplicates.normalise(prompt), key);
        }
        Duplicates d = f.finish();
        for (var e : d.all().entrySet()) {
            assertThat(e.getValue().duplicateOf().key()).isLessThan(e.getKey());
        }
        assertThat(d.repeats()).isEqualTo(n - firstByNormalised.size());
        for (int first : firstByNormalised.values()) {
            assertThat(d.get(first)).isNull();
        }
    }

    @Test
    void aFinderThatLooksIdsUpFindsWhatOneGivenTheIdsFinds() {
        String[][] items = {{"Hello, World!", "x  y", "x y", "z"}, {"hello world", "a", "b", "c"},
            {"Hello, World!", "p", "q", "r"}, {"other", "s", "t", "u"}, {"HELLO WORLD", "d", "e", "f"}};
        Duplicates.Finder given = new Duplicates.Finder();
        List<Integer> lookedUp = new java.util.ArrayList<>();
        Duplicates.Finder lookingUp = new Duplicates.Finder(key -> {
            lookedUp.add(key);
            return "q" + key;
        });
        for (int key = 0; key < items.length; key++) {
            List<String> responses = List.of(items[key]).subList(1, 4);
            long[] keys = Duplicates.Finder.instructionKeys(items[key][0], responses);
            int repeated = key == 0 ? 1 : 0;
            given.accept(key, "q" + key, 3, repeated, keys[0], keys[1]);
            lookingUp.accept(key, null, 3, repeated, keys[0], keys[1]);
        }
        Duplicates a = given.finish();
        Duplicates b = lookingUp.finish();
        assertThat(b.all()).isEqualTo(a.all());
        assertThat(b.groups()).isEqualTo(a.groups());
        assertThat(a.all()).containsKeys(0, 1, 2, 4);
        assertThat(lookedUp).doesNotContain(3); // no finding, no id
    }
}
