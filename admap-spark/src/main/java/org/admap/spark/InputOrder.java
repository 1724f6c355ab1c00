package org.admap.spark;

import java.io.Serializable;

/**
 * A place in the input order (file, then row within the file): sorting by it gives the
 * order in which a single machine would have read the items, which decides their keys, the
 * {@code #n} suffixes of repeated ids and the order of merged responses.
 *
 * @param file the index of the file in the job's input list
 * @param row  the item's place within the file (a position, row index or byte offset: see {@link InputRow})
 */
public record InputOrder(int file, long row) implements Comparable<InputOrder>, Serializable {

    @Override
    public int compareTo(InputOrder o) {
        int c = Integer.compare(file, o.file);
        return c != 0 ? c : Long.compare(row, o.row);
    }
}
