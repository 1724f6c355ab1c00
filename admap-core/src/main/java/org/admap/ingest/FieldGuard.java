package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the fields the user named in options ({@code --score-field}, {@code --label-field},
 * ...) are fields the rows have. Without it, a misspelt optional field ({@code --score-field
 * scor}) or a syntax admap does not read ({@code gpt4_score[0]}) reads as "no score" on every
 * row, and the user learns only that "the data has neither scores nor labels". With it, the
 * error names the option, the fields the rows do have, and the closest one.
 *
 * <p>Only fields the user named are checked, and only where the layout reads them as row
 * fields: every field option in the one-row-per-response layout, {@code --reference-field} in
 * every layout (in {@code ultrafeedback}, score and label name an annotation, not a field).
 * Required fields (prompt, response) are checked on the first row; optional ones once the
 * file is read, so a field that only some rows have is fine.
 */
public final class FieldGuard {

    /** Field names kept for the message at most. */
    public static final int MAX_SEEN = 200;

    /** A field option, its field, and whether every row must have it. */
    private record Named(String option, String field, boolean required) {
    }

    /**
     * A named field no row had (or none had a value in).
     *
     * @param option  the option, e.g. {@code --score-field}
     * @param field   the field it named
     * @param present whether some row had the field, though null or empty in every one
     */
    public record Missing(String option, String field, boolean present) {
    }

    private final List<Named> named;
    private final boolean[] found;
    private final boolean[] present;
    private final Set<String> seen = new LinkedHashSet<>();
    private long rows;

    private FieldGuard(List<Named> named) {
        this.named = named;
        this.found = new boolean[named.size()];
        this.present = new boolean[named.size()];
    }

    /**
     * The guard for a file read in {@code layout} with {@code options} as the user gave them
     * (before a preset fills in its own fields, which need no check).
     */
    public static FieldGuard of(IngestOptions options, Layout layout) {
        List<Named> named = new ArrayList<>();
        if (layout == Layout.LONG) {
            add(named, "--prompt-field", options.promptField(), true);
            add(named, "--response-field", options.responseField(), true);
            add(named, "--score-field", options.scoreField(), false);
            add(named, "--label-field", options.labelField(), false);
            add(named, "--model-field", options.modelField(), false);
            add(named, "--id-field", options.idField(), true);
        }
        add(named, "--reference-field", options.referenceField(), false);
        return new FieldGuard(named);
    }

    private static void add(List<Named> named, String option, String field, boolean required) {
        if (field != null) {
            named.add(new Named(option, field, required));
        }
    }

    /**
     * Notes the fields of one row.
     *
     * @throws IngestException on the first row, when it lacks a required named field: an error
     *                         of that row, naming the field, the fields seen and the closest one
     */
    public void see(SourceRecord record) {
        JsonNode row = record.node();
        rows++;
        if (seen.size() < MAX_SEEN && row != null && row.isObject()) {
            collect(row, "", 0);
        }
        for (int i = 0; i < named.size(); i++) {
            if (found[i]) {
                continue;
            }
            JsonNode value = RowFields.at(row, named.get(i).field());
            if (value != null && !value.isMissingNode()) {
                present[i] = true;
                found[i] = !RowFields.isAbsent(value) && !(value.isTextual() && value.textValue().isEmpty());
            }
        }
        if (rows == 1) {
            for (int i = 0; i < named.size(); i++) {
                Named n = named.get(i);
                if (n.required() && !present[i]) {
                    throw new IngestException(record.location(), n.field(), "missing (" + message(
                            new Missing(n.option(), n.field(), false), "the first row") + ")");
                }
            }
        }
    }

    private void collect(JsonNode node, String prefix, int depth) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && seen.size() < MAX_SEEN; ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            seen.add(name);
            if (depth == 0 && e.getValue().isObject()) {
                collect(e.getValue(), name + ".", depth + 1);
            }
        }
    }

    /** The named fields no row seen so far had a value in. */
    public List<Missing> missing() {
        List<Missing> list = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            if (!found[i]) {
                list.add(new Missing(named.get(i).option(), named.get(i).field(), present[i]));
            }
        }
        return list;
    }

    /** The field names seen, nested ones dotted ({@code meta.model}), in the order met. */
    public List<String> fieldsSeen() {
        return List.copyOf(seen);
    }

    /**
     * Fails when a named field had no value in any row read.
     *
     * @throws IngestException naming the file, the option, the fields seen and the closest one
     */
    public void check(String file) {
        List<Missing> missing = missing();
        if (!missing.isEmpty() && rows > 0) {
            throw IngestException.forFile(file, message(missing.get(0), "any of its " + rows + " rows"));
        }
    }

    /** The message for a missing field: what the option named, what the rows have, what was meant. */
    public String message(Missing m, String where) {
        return message(m, where, seen);
    }

    /**
     * The same message for fields seen elsewhere: by several readers of one file (the splits of
     * a parallel job), whose fields seen together are the file's.
     */
    public static String message(Missing m, String where, java.util.Collection<String> seen) {
        StringBuilder sb = new StringBuilder(m.option()).append(" '").append(m.field()).append("' names a field ");
        sb.append(m.present() ? "that is empty in " + where : "not in " + where);
        sb.append("; fields seen: ").append(seen.isEmpty() ? "none" : String.join(", ", seen));
        String bracket = listIndexBase(m.field());
        if (bracket != null && seen.contains(bracket)) {
            sb.append("; a list index is not read: give '").append(bracket).append("' (a list of scores is read as"
                    + " samples of one score, mapped by their mean), or pick an element with --query");
        } else {
            String closest = closest(m.field(), seen);
            if (closest != null) {
                sb.append("; did you mean '").append(closest).append("'?");
            }
        }
        return sb.toString();
    }

    /** {@code gpt4_score} for {@code gpt4_score[0]}, else null. */
    private static String listIndexBase(String field) {
        int open = field.indexOf('[');
        return open > 0 && field.endsWith("]") ? field.substring(0, open) : null;
    }

    /**
     * The name nearest to {@code field} by edit distance (case ignored) when near enough to be a
     * slip, else the shortest name that contains it or that it contains; null when none.
     */
    static String closest(String field, Iterable<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String f = field.toLowerCase(java.util.Locale.ROOT);
        for (String name : names) {
            int d = distance(f, name.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(2, field.length() / 3)) {
            return best;
        }
        // else the shortest name that holds it, or that it holds: 'scor' for 'gpt4_score'
        best = null;
        for (String name : names) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if ((n.contains(f) || f.contains(n)) && n.length() >= 3 && (best == null
                    || name.length() < best.length())) {
                best = name;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The named fields, option to field, for a summary of the mapping. */
    public Map<String, String> named() {
        Map<String, String> map = new LinkedHashMap<>();
        named.forEach(n -> map.put(n.option(), n.field()));
        return map;
    }
}
