package org.admap.ingest.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.admap.model.InputScore;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Test;

/** Grouping gathers rows into instructions without inflating responses, and derives labels by a stated rule. */
class PromptGroupingTest {

    private static final double NA = Response.ABSENT;

    private static Item pair(String id, String prompt, String chosen, String rejected) {
        return new Item(id, prompt, "", null, List.of(new Response(chosen, NA, 1, null),
                new Response(rejected, NA, 0, null)), new SourceLocation("f", 1, null));
    }

    private static Item row(String id, String prompt, Response r) {
        return new Item(id, prompt, "", null, List.of(r), new SourceLocation("f", 1, null));
    }

    private static List<Item> run(GroupingOptions options, boolean byId, Item... items) {
        PromptGrouping g = new PromptGrouping(options);
        for (Item i : items) {
            g.add(i, byId, 0);
        }
        List<Item> out = new ArrayList<>();
        g.forEach(x -> out.add(x.item()));
        return out;
    }

    private static GroupingOptions byPrompt(PairLabels rule) {
        return GroupingOptions.DEFAULTS.withByPrompt(true).withPairLabels(rule);
    }

    @Test
    void pairsThatSharePromptBecomeOneInstructionWithEveryDistinctResponseLabelledWinsMinusLosses() {
        // a > b > c, all three pairs, in an order that is not the ranking's
        List<Item> out = run(byPrompt(PairLabels.WINS), false,
                pair("r1", "Q", "b", "c"), pair("r2", "Q", "a", "c"), pair("r3", "Q", "a", "b"),
                pair("r4", "other", "x", "y"));

        assertThat(out).hasSize(2);
        Item q = out.get(0);
        assertThat(q.responses()).extracting(Response::text).containsExactly("b", "c", "a");
        assertThat(q.responses()).extracting(Response::label).containsExactly(0.0, -2.0, 2.0);
        assertThat(q.id()).as("rows with different ids: the prompt's id").isEqualTo(ItemIds.fromPrompt("Q"));
        assertThat(out.get(1).id()).as("one row: its own id").isEqualTo("r4");
        assertThat(out.get(1).responses()).extracting(Response::label).containsExactly(1.0, -1.0);
    }

    @Test
    void bradleyTerryOrdersAsTheWinsDoAndWeighsWhomAResponseBeat() {
        List<Item> complete = run(byPrompt(PairLabels.BRADLEY_TERRY), false,
                pair("1", "Q", "a", "b"), pair("2", "Q", "a", "c"), pair("3", "Q", "b", "c"));
        double[] l = complete.get(0).responses().stream().mapToDouble(Response::label).toArray();
        assertThat(l[0]).isGreaterThan(l[1]);
        assertThat(l[1]).isGreaterThan(l[2]);
        assertThat(l[0]).as("a complete round is symmetric").isCloseTo(-l[2], within(1e-9));
        assertThat(l[1]).isCloseTo(0, within(1e-9));

        // one pair: labels of equal size and opposite sign, finite although the winner never lost
        List<Item> one = run(byPrompt(PairLabels.BRADLEY_TERRY), false, pair("1", "P", "w", "l"));
        double w = one.get(0).responses().get(0).label();
        assertThat(w).isPositive().isFinite();
        assertThat(one.get(0).responses().get(1).label()).isCloseTo(-w, within(1e-9));

        // x and y both won one and lost one, x against the strong s, y against the weak t
        Item[] rows = {pair("1", "R", "s", "t"), pair("2", "R", "s", "t"), pair("3", "R", "x", "s"),
            pair("4", "R", "s", "x"), pair("5", "R", "y", "t"), pair("6", "R", "t", "y")};
        Map<String, Double> byText = new java.util.HashMap<>();
        run(byPrompt(PairLabels.BRADLEY_TERRY), false, rows).get(0).responses()
                .forEach(r -> byText.put(r.text(), r.label()));
        List<Item> wins = run(byPrompt(PairLabels.WINS), false, rows);
        assertThat(wins.get(0).responses().stream().filter(r -> r.text().equals("x") || r.text().equals("y")))
                .extracting(Response::label).containsOnly(0.0);
        assertThat(byText.get("x")).isGreaterThan(byText.get("y"));
    }

    @Test
    void aTieCountsForNeitherSideAndPairsWithoutLabelsAreNoComparison() {
        Item tie = new Item("t", "Q", "", null, List.of(new Response("a", NA, 0.5, null),
                new Response("b", NA, 0.5, null)), new SourceLocation("f", 1, null));
        Item unlabelled = new Item("u", "Q", "", null, List.of(new Response("a", NA, NA, null),
                new Response("c", NA, NA, null)), new SourceLocation("f", 2, null));
        List<Item> out = run(byPrompt(PairLabels.WINS), false, tie, unlabelled, pair("p", "Q", "a", "b"));
        assertThat(out.get(0).responses()).extracting(Response::text, Response::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1.0),
                        org.assertj.core.groups.Tuple.tuple("b", -1.0),
                        org.assertj.core.groups.Tuple.tuple("c", NA));
    }

    @Test
    void scoresOfPairsAreAveragedPerResponseNotCountedAsSamples() {
        Item p1 = new Item("1", "Q", "", null, List.of(new Response("a", 8, 1, null), new Response("b", 4, 0, null)),
                new SourceLocation("f", 1, null));
        Item p2 = new Item("2", "Q", "", null, List.of(new Response("a", 8, 1, null), new Response("c", 2, 0, null)),
                new SourceLocation("f", 2, null));
        Item p3 = new Item("3", "Q", "", null, List.of(new Response("b", 5, 1, null), new Response("c", 2, 0, null)),
                new SourceLocation("f", 3, null));
        Item q = run(byPrompt(PairLabels.WINS), false, p1, p2, p3).get(0);
        assertThat(q.responses()).extracting(Response::score).containsExactly(8.0, 4.5, 2.0);
        assertThat(q.responses()).allSatisfy(r -> assertThat(r.samples()).isEmpty());
    }

    @Test
    void unpairedRowsKeepTheirBooleanAveragedOverRepeats() {
        Item good = row("1", "Q", new Response("a", NA, 1, null));
        Item bad = row("2", "Q", new Response("b", NA, 0, null));
        Item again = row("3", "Q", new Response("a", NA, 0, null));
        Item q = run(byPrompt(PairLabels.WINS), false, good, bad, again).get(0);
        assertThat(q.responses()).extracting(Response::text, Response::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0.5),
                        org.assertj.core.groups.Tuple.tuple("b", 0.0));
    }

    @Test
    void repeatedRowsOfOneResponseBecomeItsSamplesAndDifferentModelsStayApart() {
        GroupingOptions o = GroupingOptions.DEFAULTS;
        Item q = run(o, true,
                row("i", "Q", new Response("a", 3, NA, "m1")),
                row("i", "Q", new Response("a", 4, NA, "m1")),
                row("i", "Q", new Response("a", 5, NA, "m1", List.of(5.0, 5.0))),
                row("i", "Q", new Response("a", 1, NA, "m2")),
                row("i", "Q", new Response("b", 2, NA, "m1"))).get(0);
        assertThat(q.responses()).extracting(Response::text, Response::model)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "m1"),
                        org.assertj.core.groups.Tuple.tuple("a", "m2"),
                        org.assertj.core.groups.Tuple.tuple("b", "m1"));
        Response a = q.responses().get(0);
        assertThat(a.samples()).containsExactly(3.0, 4.0, 5.0, 5.0);
        assertThat(a.score()).isEqualTo(4.25);
        assertThat(q.responses().get(1).samples()).as("one row, one number: no samples").isEmpty();
        assertThat(q.responses().get(1).score()).isEqualTo(1.0);
    }

    @Test
    void namedSourcesAggregateAsTheInputScoreDoes() {
        Response r1 = new Response("a", 1, NA, null).withSources(Map.of("j", new InputScore(7, List.of())));
        Response r2 = new Response("a", 2, NA, null).withSources(Map.of("j", new InputScore(9, List.of())));
        Response r3 = new Response("b", 3, NA, null);
        Item q = run(GroupingOptions.DEFAULTS, true, row("i", "Q", r1), row("i", "Q", r2), row("i", "Q", r3)).get(0);
        assertThat(q.responses().get(0).sources().get("j")).isEqualTo(new InputScore(8, List.of(7.0, 9.0)));
        assertThat(q.responses().get(1).sources()).isEmpty();
    }

    @Test
    void theReportCountsRowsMergedAndComparisons() {
        PromptGrouping g = new PromptGrouping(byPrompt(PairLabels.WINS));
        g.add(pair("1", "Q", "a", "b"), false, 0);
        g.add(pair("2", "Q", "a", "c"), false, 0);
        g.add(pair("3", "Q", "b", "c"), false, 1);
        g.forEach(x -> { });
        assertThat(g.report()).isEqualTo(new GroupingReport(3, 1, 3, 3, 3, "wins"));
    }
}
