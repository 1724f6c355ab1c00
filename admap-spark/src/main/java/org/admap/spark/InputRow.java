package org.admap.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.Response;

/**
 * One item as the core's reader gave it from one input file, with its place in the input
 * order: what the run store's item writer receives on a single machine.
 *
 * @param file       the index of its file in the job's input list
 * @param row        its place in that file, increasing in file order: its position among the file's
 *                   items (0-based), its row index in a Parquet split, or its line's byte offset in a
 *                   JSON-lines split
 * @param groupsRows whether the file's layout has one row per response, to be merged by id
 * @param id         the id the reader gave (before any {@code #n} renaming)
 * @param prompt     the instruction
 * @param input      the alpaca-style input, or the empty string
 * @param reference  a reference answer, or null
 * @param responses  the responses, in row order
 */
public record InputRow(int file, long row, boolean groupsRows, String id, String prompt, String input,
                       String reference, List<ResponseRow> responses) implements Serializable {

    public InputRow {
        responses = List.copyOf(responses);
    }

    /** Copies a core item read from file number {@code file}. */
    public static InputRow of(int file, long row, boolean groupsRows, Item item) {
        List<ResponseRow> rs = new ArrayList<>(item.responses().size());
        for (Response r : item.responses()) {
            rs.add(ResponseRow.of(r));
        }
        return new InputRow(file, row, groupsRows, item.id(), item.prompt(), item.input(), item.reference(), rs);
    }

    /** The order of items in the input: by file, then by row. */
    public InputOrder order() {
        return new InputOrder(file, row);
    }
}
