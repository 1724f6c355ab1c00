package org.admap.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.admap.Progress;

/**
 * Progress bars on stderr, one line redrawn in place, always narrower than the terminal (a
 * line that wraps scrolls the screen at every refresh). A bar appears only when stderr is a
 * terminal and only once a task has run for a second, so quick commands and piped or logged
 * runs stay clean; a task that reports no amounts (a phase) shows its name and the time it
 * has taken, so no step is silent.
 *
 * <p>The line, widest first:
 * {@code task  42% [====>     ]  1.2/3.4 MB  12.3 MB/s  0:05 left 0:07  status}.
 * Where the terminal is narrower, the status goes first, then the bar, then the speed; the
 * task name is cut last. The time left appears once it can be estimated (never a 0:00 at
 * 6%).
 */
final class TerminalProgress implements Progress.Factory {

    private static final long DELAY_NANOS = 1_000_000_000L;
    private static final long REFRESH_MILLIS = 250;
    private static final long WIDTH_EVERY_NANOS = 2_000_000_000L;

    private final PrintStream out;

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** Bars on stderr when it is a terminal and {@code quiet} is off. */
    static Progress.Factory forStderr(boolean quiet) {
        boolean terminal = System.console() != null && System.getenv("ADMAP_NO_PROGRESS") == null;
        return quiet || !terminal ? Progress.Factory.NONE : new TerminalProgress(System.err);
    }

    @Override
    public Progress start(String task, long total, String unit) {
        return new Bar(task, total, unit);
    }

    /**
     * The terminal's width in columns: {@code stty size} on the controlling terminal, else
     * {@code $COLUMNS}, else 80.
     */
    static int terminalWidth() {
        File tty = new File("/dev/tty");
        if (tty.exists()) {
            try {
                Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    String[] rowsCols = answer.split("\\s+");
                    if (rowsCols.length == 2 && Integer.parseInt(rowsCols[1]) > 0) {
                        return Integer.parseInt(rowsCols[1]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // no stty or no terminal: fall through
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            if (columns > 0) {
                return columns;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        return 80;
    }

    /**
     * One progress line, fitted to {@code width} columns (at most {@code width - 1}
     * characters, so the cursor never reaches the last column and wraps).
     *
     * @param width  the terminal's columns
     * @param total  the amount of work, or -1 when unknown
     * @param done   the amount done
     * @param nanos  the time taken so far
     * @param status the extra status text, or null
     */
    static String line(int width, String task, long total, long done, String unit, long nanos, String status) {
        int room = Math.max(1, width - 1);
        boolean bytes = "B".equals(unit);
        double seconds = nanos / 1e9;
        String amounts = total >= 0 ? amount(done, bytes) + "/" + amount(total, bytes) : amount(done, bytes);
        String shownUnit = bytes ? "MB" : unit;
        if (!shownUnit.isEmpty()) {
            amounts += " " + shownUnit;
        }
        String speed = seconds > 0 && done > 0 ? rate(done / seconds, bytes) + " " + shownUnit + "/s" : "";
        String time = clock(seconds);
        if (total > 0 && done > 0 && done < total && seconds >= 1) {
            time += " left " + clock(seconds * (total - done) / done);
        }
        String percent = total > 0 ? String.format(Locale.ROOT, "%3d%%", Math.min(100, done * 100 / total)) : "";
        boolean unknown = total < 0 && done == 0; // a phase: only the task and the time
        String[] tries = {
            join(task, percent, barOf(total, done, 30), unknown ? "" : amounts, speed, time, status),
            join(task, percent, barOf(total, done, 20), unknown ? "" : amounts, speed, time, status),
            join(task, percent, barOf(total, done, 20), unknown ? "" : amounts, speed, time),
            join(task, percent, barOf(total, done, 10), unknown ? "" : amounts, speed, time),
            join(task, percent, unknown ? "" : amounts, speed, time),
            join(task, percent, unknown ? "" : amounts, time),
        };
        for (String t : tries) {
            if (t.length() <= room) {
                return t;
            }
        }
        String tail = join(percent, unknown ? "" : amounts, time);
        int left = room - tail.length() - 2;
        String cut = left >= 4 ? (task.length() > left ? task.substring(0, left - 1) + "~" : task) + "  " + tail
                : tail;
        return cut.length() <= room ? cut : cut.substring(0, room);
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                if (b.length() > 0) {
                    b.append("  ");
                }
                b.append(p);
            }
        }
        return b.toString();
    }

    private static String barOf(long total, long done, int cells) {
        if (total <= 0) {
            return "";
        }
        int filled = (int) Math.min(cells, done * cells / total);
        StringBuilder b = new StringBuilder(cells + 2).append('[');
        for (int i = 0; i < cells; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return b.append(']').toString();
    }

    private static String amount(long n, boolean bytes) {
        return bytes ? String.format(Locale.ROOT, "%,.1f", n / 1e6) : String.format(Locale.ROOT, "%,d", n);
    }

    private static String rate(double perSecond, boolean bytes) {
        double v = bytes ? perSecond / 1e6 : perSecond;
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private final class Bar implements Progress {
        private final String task;
        private final long total;
        private final String unit;
        private final long started = System.nanoTime();
        private final Thread painter;
        private volatile long done;
        private volatile String status;
        private volatile boolean closed;
        private boolean drawn;
        private int width;
        private long widthAt;

        Bar(String task, long total, String unit) {
            this.task = task;
            this.total = total;
            this.unit = unit == null ? "" : unit;
            this.painter = new Thread(this::paintUntilClosed, "admap-progress");
            painter.setDaemon(true);
            painter.start();
        }

        private void paintUntilClosed() {
            try {
                Thread.sleep(DELAY_NANOS / 1_000_000);
                while (!closed) {
                    draw();
                    Thread.sleep(REFRESH_MILLIS);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        private synchronized void draw() {
            if (closed && !drawn) {
                return;
            }
            long now = System.nanoTime();
            if (width == 0 || now - widthAt > WIDTH_EVERY_NANOS) {
                width = terminalWidth(); // again now and then: the window may be resized
                widthAt = now;
            }
            String text = line(width, task, total, done, unit, now - started, status);
            StringBuilder b = new StringBuilder(width + 8).append('\r').append(text);
            for (int i = text.length(); i < width - 1; i++) {
                b.append(' '); // clears what a longer line left
            }
            synchronized (out) {
                out.print(b);
                out.flush();
            }
            drawn = true;
        }

        @Override
        public void advanceTo(long done) {
            this.done = done;
        }

        @Override
        public void status(String text) {
            status = text;
        }

        @Override
        public void close() {
            closed = true;
            painter.interrupt();
            try {
                painter.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (drawn) {
                    draw(); // the final figures
                    synchronized (out) {
                        out.println();
                        out.flush();
                    }
                }
            }
        }
    }
}
