package org.admap.internal.store;

import org.admap.model.Item;

/**
 * An item read back from the run store with its key.
 *
 * @param key  the item's key in the store
 * @param item the item; each response's {@code score} is the score of the source that was
 *             asked for, and its {@code label} the data's label
 */
public record KeyedItem(int key, Item item) {
}
