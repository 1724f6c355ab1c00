package org.admap.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/** Collects the rows of one item at a time from a result ordered by item key. */
abstract class ItemAssembler<T> {

    abstract void row(ResultSet rs) throws SQLException;

    abstract T finish(int key);

    /**
     * Streams a result ordered by item key as one {@code T} per item; the one parameter of
     * {@code sql}, if any, is a scorer's source.
     */
    static <T> void streamGrouped(RunStore store, String sql, String source, ItemAssembler<T> assembler,
                                  Consumer<T> consumer) {
        int[] current = {-1};
        store.sql().query("read items", sql, ScoreSql.scorerParams(source)).forEach(rs -> {
            int key = rs.getInt(1);
            if (key != current[0] && current[0] >= 0) {
                consumer.accept(assembler.finish(current[0]));
            }
            current[0] = key;
            assembler.row(rs);
        });
        if (current[0] >= 0) {
            consumer.accept(assembler.finish(current[0]));
        }
    }
}
