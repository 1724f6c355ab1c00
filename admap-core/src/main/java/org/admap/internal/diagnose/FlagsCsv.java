package org.admap.internal.diagnose;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Evidence;
import org.admap.diagnose.Flag;
import org.admap.diagnose.Reason;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.RunStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code flags.csv}: one row per flagged instruction, in input order. The columns:
 * <ul>
 *   <li>{@code id,prompt,reasons,correlation,margin,mean,variance,n,detail}: as since the
 *       first version (the prompt cut to its first 200 characters, the full text is in the
 *       run store; reasons joined by {@code ;}; the rules met in words);</li>
 *   <li>{@code rank_agreement}: the rank agreement of the labels and the map's scores (for a
 *       pair +1, -1 or 0); {@code confidence}: for a pair, the scorer's confidence in its
 *       scores where it states one (no admap scorer does yet, so it is empty);</li>
 *   <li>{@code duplicate_responses}: responses repeating another of the item (whitespace
 *       aside); {@code duplicate_of}, {@code duplicate_kind}: the earlier instruction it
 *       repeats and how ({@code exact} or {@code normalised});</li>
 *   <li>with scorers ({@code --scorers}): {@code scorers_against}, {@code scorers_with_evidence},
 *       {@code scorer_agreement} (mean pairwise Kendall tau-b of the scorers against the
 *       labels), then per scorer S {@code agreement:S} (its agreement with the labels, three or
 *       more responses), {@code margin:S} (a pair's chosen-minus-rejected score) and
 *       {@code confidence:S}.</li>
 * </ul>
 * Numbers that do not apply are empty. Ids and prompts that a spreadsheet would run as a
 * formula get a leading {@code '} ({@link CsvCells}) unless written raw.
 */
public final class FlagsCsv {

    public static final int PROMPT_EXCERPT = 200;

    private FlagsCsv() {
    }

    public static void write(RunStore store, Diagnosis diagnosis, Path file) throws IOException {
        write(store, diagnosis, CsvCells.NEUTRALISED, file);
    }

    /** Writes the file, its text cells (ids, prompts) as {@code cells} says ({@link CsvCells}). */
    public static void write(RunStore store, Diagnosis diagnosis, CsvCells cells, Path file) throws IOException {
        Flag[] byKey = new Flag[(int) store.itemCount()];
        for (Flag f : diagnosis.flags()) {
            byKey[f.key()] = f;
        }
        try (AtomicFile out = new AtomicFile(file)) {
            Writer writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            List<String> scorers = diagnosis.options().scorers();
            CSVPrinter csv = printer(writer, scorers);
            try {
                store.forEachPrompt((key, id, prompt) -> {
                    Flag f = byKey[key];
                    if (f == null) {
                        return;
                    }
                    try {
                        csv.printRecord(row(f, id, prompt, scorers, cells));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            csv.flush();
            out.commit();
        }
    }

    /** An item's full prompt by its key, for {@link #write(Diagnosis, Prompts, Path)}. */
    @FunctionalInterface
    public interface Prompts {
        String of(int key) throws IOException;
    }

    /**
     * Writes the file from the flags alone, reading the prompt of each flagged item only
     * (the fast diagnosis, which reads them from the input by offset).
     */
    public static void write(Diagnosis diagnosis, Prompts prompts, Path file) throws IOException {
        write(diagnosis, prompts, CsvCells.NEUTRALISED, file);
    }

    /** {@link #write(Diagnosis, Prompts, Path)}, its text cells as {@code cells} says. */
    public static void write(Diagnosis diagnosis, Prompts prompts, CsvCells cells, Path file) throws IOException {
        List<Flag> flags = new ArrayList<>(diagnosis.flags());
        flags.sort(Comparator.comparingInt(Flag::key));
        try (AtomicFile out = new AtomicFile(file)) {
            Writer writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            List<String> scorers = diagnosis.options().scorers();
            CSVPrinter csv = printer(writer, scorers);
            for (Flag f : flags) {
                csv.printRecord(row(f, f.id(), prompts.of(f.key()), scorers, cells));
            }
            csv.flush();
            out.commit();
        }
    }

    private static CSVPrinter printer(Writer writer, List<String> scorers) throws IOException {
        return new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(
                header(scorers).toArray(String[]::new)).get());
    }

    private static List<Object> row(Flag f, String id, String prompt, List<String> scorers, CsvCells cells) {
        // the texts that come from the input are neutralised; the numbers and admap's own words are not
        List<Object> row = new ArrayList<>(List.of(cells.text(id), cells.text(excerpt(prompt)),
                f.reasons().stream().sorted(Comparator.naturalOrder()).map(Reason::cliName)
                        .collect(Collectors.joining(";")),
                number(f.correlation()), number(f.margin()), number(f.mean()), number(f.variance()),
                f.n(), f.detail(), number(f.rankAgreement()), number(f.confidence()),
                f.duplicateResponses(), f.duplicateOf() == null ? "" : cells.text(f.duplicateOf().id()),
                f.duplicateOf() == null ? "" : f.duplicateOf().kind().cliName()));
        if (!scorers.isEmpty()) {
            boolean any = !f.scorers().isEmpty();
            row.add(any ? Integer.toString(f.scorersAgainst()) : "");
            row.add(any ? Long.toString(f.scorers().stream().filter(Evidence::defined).count()) : "");
            row.add(number(f.scorerAgreement()));
            for (int s = 0; s < scorers.size(); s++) {
                Evidence e = any ? f.scorers().get(s) : null;
                row.add(e == null ? "" : number(e.correlation()));
                row.add(e == null ? "" : number(e.margin()));
                row.add(e == null ? "" : number(e.confidence()));
            }
        }
        return row;
    }

    /** The header: the first version's columns, admap's additions, then the scorers' evidence. */
    public static List<String> header(List<String> scorers) {
        List<String> h = new ArrayList<>(List.of("id", "prompt", "reasons", "correlation", "margin", "mean",
                "variance", "n", "detail", "rank_agreement", "confidence", "duplicate_responses", "duplicate_of",
                "duplicate_kind"));
        if (!scorers.isEmpty()) {
            h.addAll(List.of("scorers_against", "scorers_with_evidence", "scorer_agreement"));
            for (String s : scorers) {
                h.add("agreement:" + s);
                h.add("margin:" + s);
                h.add("confidence:" + s);
            }
        }
        return h;
    }

    public static String excerpt(String prompt) {
        String oneLine = oneLine(prompt.strip());
        if (oneLine.length() <= PROMPT_EXCERPT) {
            return oneLine;
        }
        int end = PROMPT_EXCERPT;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        return oneLine.substring(0, end) + "...";
    }

    /**
     * The text with each run of ASCII white space (what the regular expression {@code \\s}
     * matches: space, tab, new line, vertical tab, form feed, carriage return) made one space; a
     * loop, not {@code replaceAll}, which compiled its pattern again for every flag.
     */
    public static String oneLine(String text) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                int end = i + 1;
                while (end < n && isSpace(text.charAt(end))) {
                    end++;
                }
                if (out == null && (c != ' ' || end > i + 1)) {
                    out = new StringBuilder(n).append(text, 0, i);
                }
                if (out != null) {
                    out.append(' ');
                }
                i = end - 1;
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

}
