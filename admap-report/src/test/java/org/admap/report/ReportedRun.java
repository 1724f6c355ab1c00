package org.admap.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.internal.store.RunDirectory;
import org.admap.run.CreateOptions;
import org.admap.run.Run;

/**
 * A run set up through the library as {@code admap map}, {@code admap diagnose} and
 * {@code admap report} make it with their defaults: created (a scanned run where the input
 * allows), diagnosed with the paper's thresholds (on its columns when it is scanned), and
 * reported to DIR/map.png, map.svg and report.html.
 */
public final class ReportedRun {

    private ReportedRun() {
    }

    /** Maps {@code data} into {@code dir}, diagnoses and reports it; returns {@code dir}. */
    public static Path of(Path data, Path dir) throws IOException {
        map(data, dir);
        diagnose(dir);
        report(dir, RunReport.Settings.defaults(new RunDirectory(dir)));
        return dir;
    }

    /**
     * Writes {@code instructions} plain JSON lines of 4 responses each ("q0", "question 0",
     * "answer 0.1"), each response with a whole score from 1 to 10 drawn from {@code random}, to
     * {@code file}: the input of the trust tests, which then add a scorer's judgments of their own.
     */
    public static Path writeFourResponseLines(Path file, int instructions, Random random) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < instructions; i++) {
            lines.append("{\"id\": \"q").append(i).append("\", \"prompt\": \"question ").append(i)
                    .append("\", \"responses\": [");
            for (int r = 0; r < 4; r++) {
                lines.append(r == 0 ? "" : ", ").append("{\"text\": \"answer ").append(i).append('.').append(r)
                        .append("\", \"score\": ").append(1 + random.nextInt(10)).append('}');
            }
            lines.append("]}\n");
        }
        Files.writeString(file, lines);
        return file;
    }

    /** {@code admap map DATA --out DIR}. */
    public static Path map(Path data, Path dir) throws IOException {
        Run.create(CreateOptions.of(List.of(data.toString()), dir), Progress.Factory.NONE);
        return dir;
    }

    /** {@code admap diagnose DIR}. */
    public static void diagnose(Path dir) throws IOException {
        DiagnoseOptions paper = DiagnoseOptions.paper(true);
        if (Run.hasColumns(dir)) {
            Run.diagnoseOnColumns(dir, paper, true);
        } else {
            Run.open(dir, Progress.Factory.NONE).diagnose(paper, true, null);
        }
    }

    /** {@code admap report DIR} with these settings. */
    public static RunReport.Written report(Path dir, RunReport.Settings settings) throws IOException {
        return RunReport.render(Run.openDeferred(dir, Progress.Factory.NONE), settings);
    }
}
