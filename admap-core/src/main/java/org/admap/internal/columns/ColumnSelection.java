package org.admap.internal.columns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.admap.internal.store.KeyedItem;
import org.admap.model.Item;
import org.admap.model.MapPoint;
import org.admap.select.PairBuilder;
import org.admap.select.SelectionSource;

/**
 * {@code select} on a run's {@link RunColumns}: the map from the columns, each selected item
 * read back from its line in the input ({@link InputTexts#item}), so that a new run exports
 * its pairs without building its store. A run without a store has no reviews (the viewer,
 * which records them, builds the store), so nothing is dropped.
 */
public final class ColumnSelection implements SelectionSource {

    /** Items read ahead at once: enough to keep every core busy, few enough to hold in memory. */
    private static final int BATCH = 2048;

    private final RunColumns columns;
    private final InputTexts texts;

    /** Reads from {@code columns} and the inputs {@code texts} opened (both stay the caller's to close). */
    public ColumnSelection(RunColumns columns, InputTexts texts) {
        this.columns = columns;
        this.texts = texts;
    }

    @Override
    public List<MapPoint> points() {
        return columns.points(false);
    }

    @Override
    public String id(int key) {
        return columns.id(key);
    }

    @Override
    public BitSet dropped() {
        return new BitSet();
    }

    @Override
    public String source() {
        return columns.header().scoreSource();
    }

    @Override
    public boolean hasLabels() {
        for (int r = 0; r < columns.responses(); r++) {
            if (!Double.isNaN(columns.label(r))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String mapCreated() {
        return columns.header().mapCreated();
    }

    /** From the columns' labels and scores alone, the values {@link InputTexts#item} gives the responses. */
    @Override
    public boolean statesNoPreference(int key, PairBuilder.By by) {
        if (key < 0 || key >= columns.items()) {
            return false;
        }
        boolean onLabels = "labels".equals(columns.header().scoreSource());
        double first = Double.NaN;
        for (int r = columns.responseStart(key); r < columns.responseEnd(key); r++) {
            double v = by == PairBuilder.By.LABELS || onLabels ? columns.label(r) : columns.score(r);
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isNaN(first)) {
                first = v;
            } else if (v != first) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void forEachItem(BitSet keys, ItemConsumer consumer) throws IOException {
        int[] selected = keys.stream().filter(k -> k < columns.items()).toArray();
        // read and parsed a batch at a time on every core, handed on in key order
        for (int from = 0; from < selected.length; from += BATCH) {
            int start = from;
            Item[] batch = new Item[Math.min(BATCH, selected.length - from)];
            try {
                IntStream.range(0, batch.length).parallel().forEach(i -> {
                    try {
                        batch[i] = texts.item(selected[start + i]);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (int i = 0; i < batch.length; i++) {
                consumer.accept(new KeyedItem(selected[start + i], batch[i]));
                batch[i] = null;
            }
        }
    }
}
