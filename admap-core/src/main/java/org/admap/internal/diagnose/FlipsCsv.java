package org.admap.internal.diagnose;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.admap.diagnose.SelfValidation;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.store.AtomicFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code flips.csv} after {@code diagnose --inject-flips}: one row per instruction
 * that could be flipped, in input order, with the columns
 * {@code id,injected,suspicion,flagged}: whether its labels were flipped in the copy, its
 * suspicion from the map's scores (higher = more suspicious; minus the agreement, or for a
 * pair minus the margin over the score range; empty without evidence) and whether a reason
 * about labels flagged it. Enough to draw the ROC curve or pick another threshold.
 */
public final class FlipsCsv {

    private FlipsCsv() {
    }

    public static void write(SelfValidation.Result result, Path file) throws IOException {
        write(result, CsvCells.NEUTRALISED, file);
    }

    /** Writes the file, its ids as {@code cells} says ({@link CsvCells}). */
    public static void write(SelfValidation.Result result, CsvCells cells, Path file) throws IOException {
        try (AtomicFile out = new AtomicFile(file)) {
            Writer writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder()
                    .setHeader("id", "injected", "suspicion", "flagged").get());
            for (SelfValidation.Row r : result.rows()) {
                csv.printRecord(cells.text(r.id()), r.injected() ? 1 : 0,
                        Double.isNaN(r.suspicion()) ? "" : Double.toString(r.suspicion()), r.flagged() ? 1 : 0);
            }
            csv.flush();
            out.commit();
        }
    }
}
