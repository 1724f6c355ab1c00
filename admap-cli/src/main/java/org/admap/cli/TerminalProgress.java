package org.admap.cli;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.admap.Progress;

/**
 * Progress bars on stderr, drawn by the {@code progressbar} library. A bar appears only
 * when stderr is a terminal and only once a task has run for a second, so quick commands
 * and piped or logged runs stay clean.
 */
final class TerminalProgress implements Progress.Factory {

    private static final long DELAY_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final boolean enabled;

    private TerminalProgress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /** Bars on stderr when it is a terminal and {@code quiet} is off. */
    static Progress.Factory forStderr(boolean quiet) {
        boolean terminal = System.console() != null && System.getenv("ADMAP_NO_PROGRESS") == null;
        return quiet || !terminal ? Progress.Factory.NONE : new TerminalProgress(System.err, true);
    }

    @Override
    public Progress start(String task, long total, String unit) {
        return enabled ? new Bar(task, total, unit) : Progress.NONE;
    }

    private final class Bar implements Progress {
        private final String task;
        private final long total;
        private final String unit;
        private final long started = System.nanoTime();
        private ProgressBar bar;
        private String status;

        Bar(String task, long total, String unit) {
            this.task = task;
            this.total = total;
            this.unit = unit;
        }

        @Override
        public void advanceTo(long done) {
            if (bar == null) {
                long elapsed = System.nanoTime() - started;
                if (elapsed < DELAY_NANOS) {
                    return;
                }
                ProgressBarBuilder b = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(out, 100))
                        .setUpdateIntervalMillis(250)
                        .startsFrom(0, Duration.ofNanos(elapsed))
                        .showSpeed();
                if ("B".equals(unit)) {
                    b.setUnit(" MB", 1_000_000);
                } else {
                    b.setUnit(" " + unit, 1);
                }
                bar = b.build();
                if (status != null) {
                    bar.setExtraMessage(status);
                }
            }
            bar.stepTo(done);
        }

        @Override
        public void status(String text) {
            status = text;
            if (bar != null) {
                bar.setExtraMessage(text);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
