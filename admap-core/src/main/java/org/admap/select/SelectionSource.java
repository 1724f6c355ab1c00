package org.admap.select;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import org.admap.internal.store.KeyedItem;
import org.admap.model.MapPoint;

/**
 * What an export reads from a run: its map, its reviewers' drop marks, and the selected
 * items with their texts. The run store gives it ({@link #of(org.admap.internal.store.RunStore)}),
 * and so do a scanned run's columns, which read the texts from the input by offset, so that
 * {@code select} on a new run needs no store.
 */
public interface SelectionSource {

    /**
     * The map's points in key order. A source may leave their ids null (a million id strings
     * cost a scanned run's select more than a second) when {@link #id} gives them.
     */
    List<MapPoint> points();

    /**
     * The id of instruction {@code key}, for a source whose {@link #points} carry no ids: the
     * selection looks up only the ids it ranks or draws by.
     */
    default String id(int key) {
        throw new UnsupportedOperationException("this source's points carry their ids");
    }

    /** The keys of the instructions a reviewer marked drop. */
    BitSet dropped();

    /** The map's score source. */
    String source();

    /** Whether any response has a label. */
    boolean hasLabels();

    /** When the map was made (ISO-8601), or empty. */
    String mapCreated();

    /**
     * Whether item {@code key} surely gives no pair and no completion when ranked {@code by}
     * (fewer than two of its responses have a value, or all their values are equal), known
     * without reading its texts; false when this source cannot tell without them. An export
     * need not read such an item: it writes nothing of it.
     */
    default boolean statesNoPreference(int key, PairBuilder.By by) {
        return false;
    }

    /** Streams the items whose keys are set, in key order, each response's score from the map's source. */
    void forEachItem(BitSet keys, ItemConsumer consumer) throws IOException;

    /** Takes one item of {@link #forEachItem}. */
    @FunctionalInterface
    interface ItemConsumer {
        void accept(KeyedItem item) throws IOException;
    }

    /** The selection source of a run store (open; the caller closes it). */
    static SelectionSource of(org.admap.internal.store.RunStore store) {
        return new StoreSelection(store);
    }
}
