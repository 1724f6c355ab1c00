package org.admap.cli;

import org.admap.Progress;

/**
 * A scripted run of the progress bars, for {@link TerminalProgressTmuxTest}: a byte bar with
 * a status, a phase that reports no amounts, a bar of responses with a cost status; then
 * {@code DONE} on stdout. Drawn as {@code admap} draws them, through
 * {@link TerminalProgress#forStderr}, so only a terminal shows them.
 */
final class ProgressScript {

    private ProgressScript() {
    }

    public static void main(String[] args) throws Exception {
        Progress.Factory progress = TerminalProgress.forStderr(false);
        long total = 300_000_000L;
        try (Progress bar = progress.start("reading ultrafeedback-binarized-preferences-cleaned.jsonl", total, "B")) {
            for (int step = 1; step <= 30; step++) {
                Thread.sleep(100);
                bar.advanceTo(step * total / 30);
                bar.status(String.format(java.util.Locale.ROOT, "%,d items", step * 3004L));
            }
        }
        try (Progress phase = progress.start("diagnose: flagging", -1, "")) {
            Thread.sleep(2500);
        }
        try (Progress bar = progress.start("scoring (judge)", 1000, "responses")) {
            for (int step = 1; step <= 25; step++) {
                Thread.sleep(100);
                bar.advanceTo(step * 40L);
                bar.status(String.format(java.util.Locale.ROOT, "$%.4f", step * 0.0012));
            }
        }
        System.out.println("DONE");
    }
}
