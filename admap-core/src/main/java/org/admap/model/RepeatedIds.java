package org.admap.model;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Renames a repeated item id: its second occurrence becomes {@code id#2}, the next
 * {@code id#3}, ..., skipping any name already taken (an input may hold {@code id#2}
 * itself). The run store's item writer and the scan both rename through here, so they give
 * the same ids.
 *
 * <p>Linear: the caller keeps, per repeated id, the suffix to try first. The smallest free
 * suffix only grows (names are never freed), so starting the search there finds what a
 * search from {@code #2} would, without walking every earlier copy again; 40,000 rows
 * sharing an id took a minute that way.
 */
public final class RepeatedIds {

    private RepeatedIds() {
    }

    /**
     * The new name of a repeated {@code id}: {@code id#N} for the smallest N of at least 2
     * that {@code taken} does not hold; {@code nextCopy} (the caller's, kept for the whole
     * input) remembers where to start next time. The caller marks the name taken.
     */
    public static String rename(String id, Predicate<String> taken, Map<String, Integer> nextCopy) {
        int copy = nextCopy.getOrDefault(id, 2);
        String name = id + "#" + copy;
        while (taken.test(name)) {
            copy++;
            name = id + "#" + copy;
        }
        nextCopy.put(id, copy + 1);
        return name;
    }
}
