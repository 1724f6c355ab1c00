package org.admap.select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.Reviews;
import org.admap.internal.store.RunStore;
import org.admap.model.MapPoint;

/** A {@link SelectionSource} on the run store: the map, the reviews and the texts from its tables. */
final class StoreSelection implements SelectionSource {

    private final RunStore store;
    private String source;

    StoreSelection(RunStore store) {
        this.store = store;
    }

    @Override
    public List<MapPoint> points() {
        return store.mapPoints();
    }

    @Override
    public BitSet dropped() {
        return Reviews.of(store).dropped();
    }

    @Override
    public String source() {
        if (source == null) {
            source = MapJob.currentSource(store);
        }
        return source;
    }

    @Override
    public boolean hasLabels() {
        return store.hasLabels();
    }

    @Override
    public String mapCreated() {
        return store.info(MapJob.INFO_CREATED).orElse("");
    }

    @Override
    public void forEachItem(BitSet keys, ItemConsumer consumer) throws IOException {
        try {
            store.forEachItem(source(), keys, ki -> {
                try {
                    consumer.accept(ki);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
