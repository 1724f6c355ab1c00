package org.admap.web;

import java.util.BitSet;
import java.util.Map;
import java.util.Optional;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.Reviews;

/** A {@link ViewerSource} on the run store, each read on a connection of its own. */
final class StoreViewerSource implements ViewerSource {

    private final StoreConnections store;

    StoreViewerSource(StoreConnections store) {
        this.store = store;
    }

    @Override
    public Optional<Viewed> item(int key, int maxChars) {
        return store.withReadStore(s -> {
            ItemDetails details = ItemDetails.of(s);
            return details.item(key, maxChars).map(d -> new Viewed(d, details.uncertainty(key)));
        });
    }

    @Override
    public BitSet search(String query) {
        return store.withReadStore(s -> ItemDetails.of(s).search(query));
    }

    @Override
    public Map<Integer, Reviews.Mark> marks() {
        return store.withReadStore(s -> Reviews.of(s).all());
    }

    @Override
    public void close() {
        // the connections are the viewer's, closed at the end of each burst
    }
}
