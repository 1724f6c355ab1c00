package org.admap.columns;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.select.SelectionSource;
import org.admap.store.KeyedItem;

/**
 * {@code select} on a run's {@link RunColumns}: the map from the columns, each selected item
 * read back from its line in the input ({@link InputTexts#item}), so that a new run exports
 * its pairs without building its store. A run without a store has no reviews (the viewer,
 * which records them, builds the store), so nothing is dropped.
 */
public final class ColumnSelection implements SelectionSource {

    private final RunColumns columns;
    private final InputTexts texts;

    /** Reads from {@code columns} and the inputs {@code texts} opened (both stay the caller's to close). */
    public ColumnSelection(RunColumns columns, InputTexts texts) {
        this.columns = columns;
        this.texts = texts;
    }

    @Override
    public List<MapPoint> points() {
        return columns.points();
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

    @Override
    public void forEachItem(BitSet keys, ItemConsumer consumer) throws IOException {
        for (int key = keys.nextSetBit(0); key >= 0 && key < columns.items(); key = keys.nextSetBit(key + 1)) {
            consumer.accept(new KeyedItem(key, texts.item(key)));
        }
    }
}
