package org.admap.diagnose;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.admap.store.AtomicFile;
import org.admap.store.RunStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code flags.csv}: one row per flagged instruction, in input order, with the
 * columns {@code id,prompt,reasons,correlation,margin,mean,variance,n,detail}. The prompt
 * is cut to its first 200 characters (the full text is in the run store); reasons are
 * joined by {@code ;}; numbers that do not apply are empty.
 */
public final class FlagsCsv {

    static final int PROMPT_EXCERPT = 200;

    private FlagsCsv() {
    }

    public static void write(RunStore store, Diagnosis diagnosis, Path file) throws IOException {
        Flag[] byKey = new Flag[(int) store.itemCount()];
        for (Flag f : diagnosis.flags()) {
            byKey[f.key()] = f;
        }
        try (AtomicFile out = new AtomicFile(file)) {
            Writer writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(
                    "id", "prompt", "reasons", "correlation", "margin", "mean", "variance", "n", "detail").get());
            try {
                store.forEachPrompt((key, id, prompt) -> {
                    Flag f = byKey[key];
                    if (f == null) {
                        return;
                    }
                    try {
                        csv.printRecord(id, excerpt(prompt),
                                f.reasons().stream().sorted(Comparator.naturalOrder()).map(Reason::cliName)
                                        .collect(Collectors.joining(";")),
                                number(f.correlation()), number(f.margin()), number(f.mean()), number(f.variance()),
                                f.n(), f.detail());
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

    static String excerpt(String prompt) {
        String oneLine = prompt.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= PROMPT_EXCERPT) {
            return oneLine;
        }
        int end = PROMPT_EXCERPT;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        return oneLine.substring(0, end) + "...";
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

}
