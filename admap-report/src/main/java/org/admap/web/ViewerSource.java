package org.admap.web;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.Reviews;

/**
 * Where the viewer reads a run's instructions from, once its map is served ({@link ServedMap}):
 * the run store ({@link StoreViewerSource}), or a scanned run's columns and inputs
 * ({@link ColumnViewerSource}), so that {@code admap serve} on a new run builds no store
 * until a change needs one. Both answer the same for the same run.
 */
interface ViewerSource extends AutoCloseable {

    /**
     * An instruction as the viewer shows it.
     *
     * @param detail      its texts, cut
     * @param uncertainty its score samples (none on a scanned run: the scan maps plain numbers)
     */
    record Viewed(ItemDetails.Detail detail, List<ItemDetails.Uncertainty> uncertainty) {
    }

    /** Instruction {@code key}, every text cut to {@code maxChars}, or empty when there is none. */
    Optional<Viewed> item(int key, int maxChars) throws IOException;

    /** The keys of the instructions whose id is the query or whose prompt or input holds it (any case). */
    BitSet search(String query) throws IOException;

    /** The review marks by key (none on a run without a store: reviews are stored there). */
    Map<Integer, Reviews.Mark> marks();

    @Override
    void close() throws IOException;
}
