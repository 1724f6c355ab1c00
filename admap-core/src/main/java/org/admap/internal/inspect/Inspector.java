package org.admap.internal.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.admap.ingest.FileSample;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TableMix;
import org.admap.map.Degeneracy;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;

/**
 * Looks at a dataset the way {@code admap map} would read it, before any run, and says what
 * it found ({@link Inspection}): reads at most {@code maxRows} rows of each input, never
 * writes anything, and reports bad input as part of the result rather than failing.
 * <pre>{@code
 * Inspection i = Inspector.inspect(List.of(Path.of("prefs.jsonl")), null, IngestOptions.defaults(), 10_000);
 * i.warnings().forEach(System.out::println);
 * }</pre>
 */
public final class Inspector {

    /** The default bound on rows read per input. */
    public static final long DEFAULT_ROWS = 10_000;

    private Inspector() {
    }

    /**
     * Inspects files (and a DuckDB query's rows, when {@code query} is non-null) read with the
     * options, {@code maxRows} rows of each at most.
     */
    public static Inspection inspect(List<Path> files, String query, IngestOptions options, long maxRows)
            throws IOException {
        if (maxRows < 1) {
            throw new IllegalArgumentException("--rows must be at least 1, got " + maxRows);
        }
        List<FileSample> samples = new ArrayList<>();
        for (Path f : files) {
            samples.add(FileSample.read(f, options, maxRows));
        }
        if (query != null) {
            samples.add(FileSample.readQuery(query, options, maxRows));
        }
        List<String> warnings = new ArrayList<>();
        for (String p : TableMix.problems(files, options)) {
            warnings.add("map would refuse: " + p);
        }
        // Instructions as the store would build them: one-row-per-response items merged by id.
        Map<String, List<Response>> byId = new LinkedHashMap<>();
        Map<String, Integer> rowsByPrompt = new HashMap<>();
        Item sample = null;
        long renamed = 0;
        List<Map<String, String>> mappings = new ArrayList<>();
        for (FileSample s : samples) {
            mappings.add(s.items().isEmpty() ? Map.of() : mapping(s.firstRow(), s.items().get(0)));
            boolean merge = s.groupsRows();
            for (Item item : s.items()) {
                if (sample == null) {
                    sample = item;
                }
                rowsByPrompt.merge(ItemIds.fromPrompt(Item.fullPrompt(item.prompt(), item.input())), 1, Integer::sum);
                String id = item.id();
                if (!merge && byId.containsKey(id)) {
                    renamed++;
                }
                if (!merge) {
                    int copy = 2;
                    while (byId.containsKey(id)) {
                        id = item.id() + "#" + copy++;
                    }
                }
                byId.computeIfAbsent(id, k -> new ArrayList<>()).addAll(item.responses());
            }
            if (s.error() != null && warnings.stream().noneMatch(w -> w.startsWith("map would refuse: " + s.error()))) {
                warnings.add("map would stop: " + s.error());
            }
            for (String m : s.missingFields()) {
                warnings.add((s.complete() ? "map would stop: " : "") + s.name() + ": " + m);
            }
            if (s.badRows().count() > 0) {
                warnings.add(s.name() + ": " + s.badRows().count() + " bad row(s) skipped (--skip-bad-rows)");
            }
            if (!s.complete() && s.error() == null) {
                warnings.add("read only the first " + s.rowsRead() + " rows of " + s.name()
                        + " (--rows); the counts here are of those");
            }
        }
        SortedMap<Integer, Long> rowsPerPrompt = new TreeMap<>();
        rowsByPrompt.values().forEach(k -> rowsPerPrompt.merge(k, 1L, Long::sum));
        SortedMap<Integer, Long> perInstruction = new TreeMap<>();
        long responses = 0;
        long scored = 0;
        long labelled = 0;
        long withSamples = 0;
        double[] range = null;
        TreeSet<Double> labels = new TreeSet<>();
        List<double[]> scoreMoments = new ArrayList<>();
        List<double[]> labelMoments = new ArrayList<>();
        for (List<Response> rs : byId.values()) {
            perInstruction.merge(rs.size(), 1L, Long::sum);
            responses += rs.size();
            double[] sv = new double[rs.size()];
            double[] lv = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                Response r = rs.get(i);
                sv[i] = r.score();
                lv[i] = r.label();
                if (r.hasScore()) {
                    scored++;
                    range = range == null ? new double[] {r.score(), r.score()}
                            : new double[] {Math.min(range[0], r.score()), Math.max(range[1], r.score())};
                }
                if (r.hasLabel()) {
                    labelled++;
                    if (labels.size() <= 10) {
                        labels.add(r.label());
                    }
                }
                if (!r.samples().isEmpty()) {
                    withSamples++;
                }
            }
            scoreMoments.add(moments(sv));
            labelMoments.add(moments(lv));
        }
        if (renamed > 0) {
            warnings.add(renamed + " row(s) repeat an earlier instruction's id or prompt and would be stored as"
                    + " instructions of their own (id#2, id#3, ...), not as more responses of it");
        }
        warnings.addAll(mapWarnings(byId.size(), perInstruction, scored, labelled, scoreMoments, labelMoments));
        return new Inspection(maxRows, samples, mappings, byId.size(), responses, rowsPerPrompt, perInstruction,
                scored, labelled, withSamples, range, labels.size() <= 10 ? List.copyOf(labels) : List.of(), sample,
                warnings);
    }

    /** What a map of these instructions would warn about. */
    private static List<String> mapWarnings(long instructions, SortedMap<Integer, Long> perInstruction, long scored,
                                            long labelled, List<double[]> scoreMoments, List<double[]> labelMoments) {
        List<String> w = new ArrayList<>();
        if (instructions == 0) {
            return w;
        }
        if (scored == 0 && labelled == 0) {
            w.add("no scores and no labels: map would store the data without a map; give the score or label"
                    + " fields (--score-field, --label-field), or score it (admap score --scorer ...)");
            return w;
        }
        long single = perInstruction.getOrDefault(1, 0L);
        if (single == instructions) {
            w.add("every instruction has a single response: nothing would be on the map (it needs two or more"
                    + " scored responses per instruction); rows are grouped by prompt, or by --id-field");
        } else if (single > 0) {
            w.add(single + " of " + instructions + " instructions have a single response and would be left off"
                    + " the map");
        }
        List<double[]> used = scored > 0 ? scoreMoments : labelMoments;
        double[] means = new double[used.size()];
        double[] variances = new double[used.size()];
        for (int i = 0; i < means.length; i++) {
            means[i] = used.get(i)[0];
            variances[i] = used.get(i)[1];
        }
        Degeneracy d = Degeneracy.of(means, variances);
        if (d.kind() == Degeneracy.Kind.CONSTANT || d.kind() == Degeneracy.Kind.EQUAL_MEANS) {
            w.add((scored == 0 ? "labels only (no scores), so the map would be on the labels, and " : "")
                    + d.message() + "; select would refuse it");
        }
        return w;
    }

    /** Mean and population variance of the values present, over two or more; NaN otherwise. */
    private static double[] moments(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                ss += (x - mean) * (x - mean);
            }
        }
        return new double[] {mean, ss / n};
    }

    /**
     * Where the first row holds what admap read from it: role ({@code prompt}, {@code input},
     * {@code response}, {@code score}, {@code label}, {@code model}) to field path, found by
     * value. A value no field holds as such is derived (split from a dialogue, transformed,
     * or a pair's 1/0 label): said so.
     */
    static Map<String, String> mapping(JsonNode row, Item item) {
        Map<String, String> m = new LinkedHashMap<>();
        if (row == null) {
            return m;
        }
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        leaves(row, "", leaves);
        m.put("prompt", textPath(leaves, item.prompt()));
        if (!item.input().isEmpty()) {
            m.put("input", textPath(leaves, item.input()));
        }
        LinkedHashSet<String> texts = new LinkedHashSet<>();
        LinkedHashSet<String> scores = new LinkedHashSet<>();
        LinkedHashSet<String> labels = new LinkedHashSet<>();
        LinkedHashSet<String> models = new LinkedHashSet<>();
        for (Response r : item.responses()) {
            texts.add(textPath(leaves, r.text()));
            if (r.hasScore()) {
                scores.add(r.samples().isEmpty() ? numberPath(leaves, r.score(), "score") : listPath(leaves, r));
            }
            if (r.hasLabel()) {
                labels.add(numberPath(leaves, r.label(), "label"));
            }
            if (r.model() != null) {
                models.add(textPath(leaves, r.model()));
            }
        }
        m.put("response", String.join(", ", texts));
        m.put("score", scores.isEmpty() ? "(none)" : String.join(", ", scores));
        m.put("label", labels.isEmpty() ? "(none)" : String.join(", ", labels));
        if (!models.isEmpty()) {
            m.put("model", String.join(", ", models));
        }
        return m;
    }

    private static void leaves(JsonNode node, String path, Map<String, JsonNode> out) {
        if (out.size() > 2000) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.put(path, node);
        }
    }

    /** A path with its list indexes as {@code []}: {@code responses[].text}. */
    private static String general(String path) {
        return path.replaceAll("\\[\\d+]", "[]");
    }

    private static String textPath(Map<String, JsonNode> leaves, String text) {
        for (Map.Entry<String, JsonNode> e : leaves.entrySet()) {
            if (e.getValue().isValueNode() && e.getValue().asText().equals(text)) {
                return general(e.getKey());
            }
        }
        for (Map.Entry<String, JsonNode> e : leaves.entrySet()) {
            if (e.getValue().isTextual() && !text.isEmpty() && e.getValue().textValue().contains(text)) {
                return "(part of " + general(e.getKey()) + ")";
            }
        }
        return "(derived)";
    }

    private static String numberPath(Map<String, JsonNode> leaves, double value, String role) {
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : leaves.entrySet()) {
            JsonNode v = e.getValue();
            double d = v.isNumber() ? v.doubleValue() : v.isTextual() ? parse(v.textValue()) : Double.NaN;
            if (!Double.isNaN(d) && Math.abs(d - value) <= 1e-9 * Math.max(1, Math.abs(value))) {
                candidates.add(e.getKey());
            }
        }
        for (String c : candidates) {
            String lower = c.toLowerCase(Locale.ROOT);
            if (lower.contains(role) || lower.contains("rating") || lower.contains("preference")) {
                return general(c);
            }
        }
        return candidates.size() == 1 ? general(candidates.get(0)) : "(derived: " + shortNumber(value) + ")";
    }

    /** The list field holding a response's samples: {@code gpt4_score (a list: 3 samples, mapped by their mean)}. */
    private static String listPath(Map<String, JsonNode> leaves, Response r) {
        List<Double> samples = r.samples();
        for (String p : leaves.keySet()) {
            if (!p.endsWith("[0]")) {
                continue;
            }
            String base = p.substring(0, p.length() - 3);
            boolean all = true;
            for (int i = 0; i < samples.size() && all; i++) {
                JsonNode v = leaves.get(base + "[" + i + "]");
                all = v != null && v.isNumber() && v.doubleValue() == samples.get(i);
            }
            if (all && !leaves.containsKey(base + "[" + samples.size() + "]")) {
                return general(base) + " (a list: " + samples.size() + " samples, mapped by their mean)";
            }
        }
        return "(a list of " + samples.size() + " samples)";
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String shortNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
