package org.admap.score.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.admap.internal.store.ScoreWriter;
import org.admap.score.Usage;

/**
 * Collects score rows and writes them in transactions of up to {@value #TRANSACTION} rows,
 * counting into {@link BatchTotals} the rows this source scored itself (not those copied from
 * another source or endpoint). Without a writer (a dry run) it takes rows and stores nothing.
 * Thread-safe: pending tasks may emit from several threads.
 */
final class ScoreRowBuffer implements Consumer<ScoreWriter.Row>, AutoCloseable {

    static final int TRANSACTION = 1000;

    private final ScoreWriter writer;
    private final String source;
    private final BatchTotals totals;
    private final List<ScoreWriter.Row> buffer = new ArrayList<>();

    /** @param writer where rows go; null: nowhere, nothing is counted */
    ScoreRowBuffer(ScoreWriter writer, String source, BatchTotals totals) {
        this.writer = writer;
        this.source = source;
        this.totals = totals;
    }

    @Override
    public synchronized void accept(ScoreWriter.Row r) {
        if (writer == null) {
            return;
        }
        buffer.add(r);
        if (r.source().equals(source) && (r.rawOutput() == null || !r.rawOutput().startsWith("copied:"))) {
            if (r.ok()) {
                totals.scored++;
            } else {
                totals.failed++;
            }
            totals.usage = totals.usage.plus(new Usage(r.tokensIn(), r.tokensOut(), r.costUsd()));
        }
        if (buffer.size() >= TRANSACTION) {
            flush();
        }
    }

    /** Writes what is collected in one transaction. */
    synchronized void flush() {
        if (writer != null && !buffer.isEmpty()) {
            writer.write(buffer);
            buffer.clear();
        }
    }

    @Override
    public void close() {
        flush();
        if (writer != null) {
            writer.close();
        }
    }
}
