package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Catches data split over tables read as if each file were a dataset. Evaluation dumps come as
 * tables joined by ids (Vicuna-80: questions, answers, reviews); {@code admap map
 * question.jsonl answer/*.jsonl} recognises no layout in them, and the obvious next try,
 * {@code --layout long --prompt-field text --response-field text}, stores every question as
 * its own response and every answer as its own question, silently. This looks at each file's
 * first row before anything is read and turns those cases into errors that say what happened
 * and point to {@code --query}, which joins the tables:
 * <ul>
 *   <li>a file whose prompt and response come from the same field;</li>
 *   <li>a file whose prompt field is another file's response field;</li>
 *   <li>in a run of several files, a file with the prompt field but no response field (a
 *       table of questions), or one whose layout is not recognised while the files share an
 *       id field (a join key such as {@code question_id}).</li>
 * </ul>
 */
public final class TableMix {

    private TableMix() {
    }

    /** What one file's first row says. */
    private record FirstRow(Path file, List<String> fields, RowLayout layout, String detectError) {
    }

    /**
     * The problems of reading these files as one dataset with these options, one message each;
     * empty when there is none. Reads only each file's first row.
     */
    public static List<String> problems(List<Path> files, IngestOptions options) throws IOException {
        List<FirstRow> rows = new ArrayList<>();
        for (Path f : files) {
            FirstRow r = firstRow(f, options);
            if (r != null) {
                rows.add(r);
            }
        }
        List<String> problems = new ArrayList<>();
        Set<String> joinKeys = sharedIdFields(rows);
        String hint = "; data split over tables is read with a query that joins them: admap map --query \"SELECT"
                + " q.text AS prompt, a.text AS response, ... FROM read_json('questions.jsonl') q JOIN"
                + " read_json('answers.jsonl') a USING (" + (joinKeys.isEmpty() ? "id" : joinKeys.iterator().next())
                + ")\" (docs/formats.md: Data in several tables)";
        for (FirstRow r : rows) {
            if (r.detectError() != null) {
                if (rows.size() > 1 && !joinKeys.isEmpty()) {
                    problems.add(r.detectError() + "; the files share the id field" + (joinKeys.size() > 1 ? "s " : " ")
                            + String.join(", ", joinKeys) + ", so they look like tables to join" + hint);
                }
                continue;
            }
            String[] pr = promptAndResponse(r.layout());
            if (pr == null) {
                continue;
            }
            // One field for both is a mistake, except in one file whose rows name their instruction:
            // Prometheus' grading prompt embeds the response it grades, and its rows carry an idx.
            boolean promptEmbedsResponse = rows.size() == 1 && options.idField() != null;
            if (pr[0].equals(pr[1]) && !promptEmbedsResponse) {
                problems.add(r.file() + ": the prompt and the response are both read from field '" + pr[0]
                        + "', so every row would be stored as a response that repeats its own prompt (a table of"
                        + " questions read as answers, or answers read as questions)" + hint);
            } else if (rows.size() > 1 && r.fields().contains(pr[0]) && !r.fields().contains(pr[1])) {
                problems.add(r.file() + ": its rows have the prompt field '" + pr[0] + "' but no response field '"
                        + pr[1] + "': it looks like a table of questions, not of responses (fields: "
                        + String.join(", ", r.fields()) + ")" + hint);
            }
        }
        for (FirstRow a : rows) {
            for (FirstRow b : rows) {
                String[] pa = a == b ? null : promptAndResponse(a.layout());
                String[] pb = a == b ? null : promptAndResponse(b.layout());
                if (pa != null && pb != null && !pa[0].equals(pa[1]) && pa[0].equals(pb[1])) {
                    problems.add(a.file() + "'s prompt field '" + pa[0] + "' is " + b.file() + "'s response field:"
                            + " the one's questions and the other's answers would not meet" + hint);
                }
            }
        }
        return problems;
    }

    /**
     * Fails on the first problem ({@link #problems}) of a run of these files, reading first rows
     * only where a problem can arise: when the options name the prompt and response fields
     * (one field for both is caught from the options alone; a table of questions needs the
     * rows, of two or more files). A layout that is not recognised fails the ingest anyway;
     * {@link #explain} then says whether the files look like tables to join.
     *
     * @throws IngestException saying what would have gone wrong and how to read the tables
     */
    public static void check(List<Path> files, IngestOptions options) throws IOException {
        if (!options.namesLongFields() || files.isEmpty()) {
            return;
        }
        List<String> problems = problems(files.size() > 1 ? files : files.subList(0, 1), options);
        if (!problems.isEmpty()) {
            throw new IngestException(null, null, problems.get(0));
        }
    }

    /**
     * The error to give for a failure of reading these files: when it is a layout not
     * recognised in a run of several files that look like tables to join, the same error
     * saying so and pointing to {@code --query}; else the failure itself.
     */
    public static IngestException explain(IngestException failure, List<Path> files, IngestOptions options) {
        if (files.size() < 2 || failure.getMessage() == null
                || !failure.getMessage().contains("cannot recognise the layout")) {
            return failure;
        }
        try {
            for (String p : problems(files, options)) {
                if (p.startsWith(failure.getMessage())) {
                    return new IngestException(null, null, p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the original failure is the one to report
        }
        return failure;
    }

    private static FirstRow firstRow(Path f, IngestOptions options) throws IOException {
        JsonNode first = null;
        try (RecordReader records = FileDatasetReader.recordReader(FileFormat.detect(f))) {
            for (int tries = 0; first == null && tries < 100; tries++) {
                try {
                    SourceRecord r = records.next();
                    if (r == null) {
                        return null; // an empty file: the ingest says so
                    }
                    first = r.node();
                } catch (IngestException bad) {
                    // a malformed first line: the ingest reports (or skips) it
                }
            }
        } catch (IngestException e) {
            return null; // a missing or unreadable file: the ingest says so
        }
        if (first == null || !first.isObject()) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        try {
            return new FirstRow(f, fields, LayoutDetector.detect(first, options, f.toString()), null);
        } catch (IngestException e) {
            return new FirstRow(f, fields, null, e.getMessage());
        }
    }

    /** The prompt and response fields of a one-row-per-response layout, else null. */
    private static String[] promptAndResponse(RowLayout layout) {
        return layout instanceof LongLayout l ? new String[] {l.promptField(), l.responseField()} : null;
    }

    /** Fields named like ids ({@code question_id}, {@code id}) that two or more files' first rows have. */
    private static Set<String> sharedIdFields(List<FirstRow> rows) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (FirstRow r : rows) {
            for (String f : new LinkedHashSet<>(r.fields())) {
                if (f.equals("id") || f.endsWith("_id") || f.endsWith("Id")) {
                    count.merge(f, 1, Integer::sum);
                }
            }
        }
        Set<String> shared = new LinkedHashSet<>();
        count.forEach((f, n) -> {
            if (n > 1) {
                shared.add(f);
            }
        });
        return shared;
    }
}
