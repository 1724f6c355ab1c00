package org.admap.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Test;

class PairBuilderTest {

    private static final double NA = Double.NaN;
    private static final PairBuilder ALL_BY_LABELS = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS);
    private static final PairBuilder BEST_WORST_BY_LABELS = new PairBuilder(PairMode.BEST_WORST,
            PairBuilder.By.LABELS);

    private static Response r(String text, double score, double label) {
        return new Response(text, score, label, null);
    }

    private static Item item(Response... responses) {
        return new Item("q", "prompt", "", null, List.of(responses), SourceLocation.line("test", 1));
    }

    /** A pair as "chosen>rejected". */
    private static List<String> names(List<Pair> pairs) {
        return pairs.stream().map(p -> p.chosen().text() + ">" + p.rejected().text()).toList();
    }

    @Test
    void fourDistinctLabelsGiveSixPairsWithTheHigherChosen() {
        Item item = item(r("a", NA, 2), r("b", NA, 4), r("c", NA, 1), r("d", NA, 3));

        List<Pair> pairs = ALL_BY_LABELS.pairs(item);

        // in response order (a,b) (a,c) (a,d) (b,c) (b,d) (c,d)
        assertThat(names(pairs)).containsExactly("b>a", "a>c", "d>a", "b>c", "b>d", "d>c");
        assertThat(pairs).allSatisfy(p -> assertThat(p.valueChosen()).isGreaterThan(p.valueRejected()));
        assertThat(pairs.get(0).valueChosen()).isEqualTo(4.0);
        assertThat(pairs.get(0).valueRejected()).isEqualTo(2.0);
    }

    @Test
    void tiedValuesStateNoPreferenceAndAreSkipped() {
        Item item = item(r("a", NA, 5), r("b", NA, 5), r("c", NA, 3), r("d", NA, 1));

        assertThat(names(ALL_BY_LABELS.pairs(item))).containsExactly("a>c", "a>d", "b>c", "b>d", "c>d");
    }

    @Test
    void identicalTextsAreSkippedWhateverTheirValues() {
        Item item = item(r("same", NA, 5), r("same", NA, 1), r("other", NA, 3));

        assertThat(names(ALL_BY_LABELS.pairs(item))).containsExactly("same>other", "other>same");
    }

    @Test
    void responsesWithoutAValueAreLeftOut() {
        Item item = item(r("a", NA, 5), r("b", NA, NA), r("c", NA, 1));

        assertThat(names(ALL_BY_LABELS.pairs(item))).containsExactly("a>c");
        assertThat(names(BEST_WORST_BY_LABELS.pairs(item))).containsExactly("a>c");
    }

    @Test
    void anItemWithoutLabelsHasNoLabelPairs() {
        Item item = item(r("a", 9, NA), r("b", 1, NA));

        assertThat(ALL_BY_LABELS.pairs(item)).isEmpty();
        assertThat(BEST_WORST_BY_LABELS.pairs(item)).isEmpty();
    }

    @Test
    void bestWorstGivesOnePairOfTheExtremes() {
        Item item = item(r("a", NA, 2), r("b", NA, 4), r("c", NA, 1), r("d", NA, 3));

        List<Pair> pairs = BEST_WORST_BY_LABELS.pairs(item);

        assertThat(names(pairs)).containsExactly("b>c");
        assertThat(pairs.get(0).valueChosen()).isEqualTo(4.0);
        assertThat(pairs.get(0).valueRejected()).isEqualTo(1.0);
    }

    @Test
    void bestWorstGivesNoPairWhenAllTie() {
        assertThat(BEST_WORST_BY_LABELS.pairs(item(r("a", NA, 3), r("b", NA, 3), r("c", NA, 3)))).isEmpty();
        assertThat(BEST_WORST_BY_LABELS.pairs(item(r("a", NA, 3)))).isEmpty();
        assertThat(BEST_WORST_BY_LABELS.pairs(item())).isEmpty();
    }

    @Test
    void bestWorstTakesTheFirstOfTiedExtremes() {
        Item item = item(r("a", NA, 1), r("b", NA, 5), r("c", NA, 5), r("d", NA, 1));

        assertThat(names(BEST_WORST_BY_LABELS.pairs(item))).containsExactly("b>a");
    }

    @Test
    void pairsByScoresFollowTheScoresNotTheLabels() {
        // labels and scores disagree on a and b
        Item item = item(r("a", 9.0, 1), r("b", 2.0, 5), r("c", 5.0, 3));
        PairBuilder byScores = new PairBuilder(PairMode.ALL, PairBuilder.By.SCORES);

        assertThat(names(ALL_BY_LABELS.pairs(item))).containsExactly("b>a", "c>a", "b>c");
        List<Pair> pairs = byScores.pairs(item);
        assertThat(names(pairs)).containsExactly("a>b", "a>c", "c>b");
        assertThat(pairs.get(0).valueChosen()).isEqualTo(9.0);
        assertThat(pairs.get(0).valueRejected()).isEqualTo(2.0);
        assertThat(names(new PairBuilder(PairMode.BEST_WORST, PairBuilder.By.SCORES).pairs(item)))
                .containsExactly("a>b");
    }

    @Test
    void pairsKeepTheResponsesThemselves() {
        Response good = new Response("good", 8.5, 5, "sage-70b");
        Response bad = new Response("bad", 1.5, 1, "tiny-chat-1b");

        Pair pair = ALL_BY_LABELS.pairs(item(bad, good)).get(0);

        assertThat(pair.chosen()).isSameAs(good);
        assertThat(pair.rejected()).isSameAs(bad);
    }

    @Property
    void allPairsAreEveryPairOfDifferingValuesAndDifferentTexts(@ForAll("responses") List<Response> responses) {
        Item item = item(responses.toArray(Response[]::new));
        int expected = 0;
        for (int i = 0; i < responses.size(); i++) {
            for (int j = i + 1; j < responses.size(); j++) {
                Response a = responses.get(i);
                Response b = responses.get(j);
                if (a.hasLabel() && b.hasLabel() && a.label() != b.label() && !a.text().equals(b.text())) {
                    expected++;
                }
            }
        }

        List<Pair> pairs = ALL_BY_LABELS.pairs(item);

        assertThat(pairs).hasSize(expected);
        assertThat(pairs).allSatisfy(p -> {
            assertThat(p.valueChosen()).isGreaterThan(p.valueRejected());
            assertThat(p.chosen().label()).isEqualTo(p.valueChosen());
            assertThat(p.rejected().label()).isEqualTo(p.valueRejected());
            assertThat(p.chosen().text()).isNotEqualTo(p.rejected().text());
        });
    }

    @Property
    void distinctValuesGiveNChooseTwoPairs(@ForAll("distinctLabels") List<Double> labels) {
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            responses.add(r("response " + i, NA, labels.get(i)));
        }
        int n = labels.size();

        assertThat(ALL_BY_LABELS.pairs(item(responses.toArray(Response[]::new)))).hasSize(n * (n - 1) / 2);
        assertThat(BEST_WORST_BY_LABELS.pairs(item(responses.toArray(Response[]::new))))
                .hasSize(n >= 2 ? 1 : 0);
    }

    @Provide
    Arbitrary<List<Response>> responses() {
        Arbitrary<String> texts = Arbitraries.of("x", "y", "z", "w", "v");
        Arbitrary<Double> labels = Arbitraries.of(NA, 1.0, 2.0, 3.0, 4.0, 5.0);
        return net.jqwik.api.Combinators.combine(texts, labels).as((t, l) -> r(t, NA, l)).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Double>> distinctLabels() {
        return Arbitraries.integers().between(-50, 50).map(Integer::doubleValue).list().ofMaxSize(10).uniqueElements();
    }
}
