package org.admap.ingest.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.admap.model.InputScore;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * The stage between the row layouts and the run store that gathers rows into instructions:
 * rows of a one-response-per-row layout by their item id (the prompt's, or the id field's),
 * and under {@code --group-by-prompt} the rows of any layout (pairs, unpaired rows) by their
 * prompt. Within an instruction, rows that give the same response (the same text from the
 * same model) become one response whose scores are samples (repeated judgments never inflate
 * the response count); comparisons become labels by {@link PairLabels}; a row of one
 * response keeps its label, averaged over the rows that give it (an unpaired row's boolean).
 *
 * <p>Works after any layout, including ones added later, since it reads only {@link Item}s.
 * Grouped instructions are held in memory until the last file is read (their texts included),
 * since a row of any file may add to any of them; rows that are not grouped pass straight
 * through to the store.
 *
 * <pre>{@code
 * PromptGrouping grouping = new PromptGrouping(options.grouping());
 * for (Item item; (item = reader.next()) != null; ) {
 *     if (grouping.groups(reader.groupsRows())) grouping.add(item, reader.groupsRows(), fileIndex);
 *     else writer.add(item, false);
 * }
 * grouping.forEach(g -> writer.add(g.item(), g.byId()));
 * }</pre>
 */
public final class PromptGrouping {

    /** A grouped instruction, with the input file of its first row. */
    public record Grouped(Item item, int input, boolean byId) {
    }

    private final GroupingOptions options;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private long rows;
    private long mergedRows;
    private long comparisons;

    public PromptGrouping(GroupingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Whether the items of a reader go through grouping: always for one-response-per-row layouts. */
    public boolean groups(boolean oneResponsePerRow) {
        return oneResponsePerRow || options.byPrompt();
    }

    /**
     * Adds one row's item.
     *
     * @param byId  whether the item is one response of a one-response-per-row layout, grouped by
     *              its id; otherwise it is grouped by its prompt
     * @param input the input file it came from
     */
    public void add(Item item, boolean byId, int input) {
        rows++;
        String key = byId ? "id\u0000" + item.id() : "prompt\u0000" + Item.fullPrompt(item.prompt(), item.input());
        Group g = groups.get(key);
        if (g == null) {
            g = new Group(item, byId, input);
            groups.put(key, g);
        } else if (!g.id.equals(item.id())) {
            g.sameId = false;
        }
        if (g.reference == null) {
            g.reference = item.reference();
        }
        List<Response> responses = item.responses();
        int[] index = new int[responses.size()];
        for (int i = 0; i < responses.size(); i++) {
            index[i] = g.response(responses.get(i));
        }
        boolean comparison = responses.size() == 2;
        for (int i = 0; i < responses.size(); i++) {
            Response r = responses.get(i);
            ResponseAccumulator acc = g.responses.get(index[i]);
            if (comparison) {
                acc.score.addReported(r.score(), r.samples());
                r.sources().forEach((name, s) -> acc.source(name).addReported(s.value(), s.samples()));
            } else {
                acc.score.addSamples(r.score(), r.samples());
                r.sources().forEach((name, s) -> acc.source(name).addSamples(s.value(), s.samples()));
                if (r.hasLabel()) {
                    acc.labelSum += r.label();
                    acc.labelCount++;
                }
            }
        }
        if (comparison) {
            Response a = responses.get(0);
            Response b = responses.get(1);
            if (a.hasLabel() && b.hasLabel() && index[0] != index[1]) {
                g.compare(index[0], index[1], Double.compare(a.label(), b.label()));
                comparisons++;
            }
        }
    }

    /** Every grouped instruction, in the order of its first row. */
    public void forEach(java.util.function.Consumer<Grouped> out) {
        for (Group g : groups.values()) {
            out.accept(new Grouped(g.item(options.pairLabels()), g.input, g.byId));
        }
    }

    /** What grouping did (complete after {@link #forEach}). */
    public GroupingReport report() {
        long responses = 0;
        for (Group g : groups.values()) {
            responses += g.responses.size();
        }
        return new GroupingReport(rows, groups.size(), responses, mergedRows, comparisons,
                comparisons == 0 ? null : options.pairLabels().cliName());
    }

    /** The same response: its text and the model that wrote it (two models' equal texts stay apart). */
    private record ResponseKey(String text, String model) {
    }

    private static final class ResponseAccumulator {
        final String text;
        final String model;
        final ScoreAccumulator score = new ScoreAccumulator();
        Map<String, ScoreAccumulator> sources;
        double labelSum;
        int labelCount;

        ResponseAccumulator(String text, String model) {
            this.text = text;
            this.model = model;
        }

        ScoreAccumulator source(String name) {
            if (sources == null) {
                sources = new LinkedHashMap<>();
            }
            return sources.computeIfAbsent(name, n -> new ScoreAccumulator());
        }
    }

    private final class Group {
        final Item first;
        final String id;
        final boolean byId;
        final int input;
        boolean sameId = true;
        String reference;
        final List<ResponseAccumulator> responses = new ArrayList<>();
        final Map<ResponseKey, Integer> index = new HashMap<>();
        /** Comparisons as (winner, loser) pairs, or (a, b, tie) triples: [a, b, sign]. */
        final List<int[]> outcomes = new ArrayList<>(0);

        Group(Item first, boolean byId, int input) {
            this.first = first;
            this.id = first.id();
            this.byId = byId;
            this.input = input;
        }

        int response(Response r) {
            ResponseKey key = new ResponseKey(r.text(), r.model());
            Integer at = index.get(key);
            if (at != null) {
                mergedRows++;
                return at;
            }
            responses.add(new ResponseAccumulator(r.text(), r.model()));
            index.put(key, responses.size() - 1);
            return responses.size() - 1;
        }

        void compare(int a, int b, int sign) {
            outcomes.add(new int[] {a, b, sign});
        }

        Item item(PairLabels rule) {
            int n = responses.size();
            double[] fromComparisons = null;
            if (!outcomes.isEmpty()) {
                double[][] wins = new double[n][n];
                int[][] counts = new int[n][n];
                for (int[] o : outcomes) {
                    counts[o[0]][o[1]]++;
                    counts[o[1]][o[0]]++;
                    if (o[2] > 0) {
                        wins[o[0]][o[1]] += 1;
                    } else if (o[2] < 0) {
                        wins[o[1]][o[0]] += 1;
                    } else {
                        wins[o[0]][o[1]] += 0.5;
                        wins[o[1]][o[0]] += 0.5;
                    }
                }
                fromComparisons = ComparisonLabels.labels(rule, wins, counts);
            }
            List<Response> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ResponseAccumulator acc = responses.get(i);
                double label = fromComparisons != null && !Double.isNaN(fromComparisons[i]) ? fromComparisons[i]
                        : acc.labelCount > 0 ? acc.labelSum / acc.labelCount : Response.ABSENT;
                InputScore score = acc.score.result();
                Map<String, InputScore> sources = new LinkedHashMap<>();
                if (acc.sources != null) {
                    acc.sources.forEach((name, s) -> {
                        InputScore r = s.result();
                        if (r != null) {
                            sources.put(name, r);
                        }
                    });
                }
                out.add(new Response(acc.text, score == null ? Response.ABSENT : score.value(), label, acc.model,
                        score == null ? List.of() : score.samples(), sources));
            }
            String groupId = sameId ? id : ItemIds.fromPrompt(Item.fullPrompt(first.prompt(), first.input()));
            return new Item(groupId, first.prompt(), first.input(), reference, out, first.source(), first.turns(),
                    first.images());
        }
    }
}
