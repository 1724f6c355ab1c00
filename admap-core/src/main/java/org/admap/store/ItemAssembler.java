package org.admap.store;

import static org.admap.store.RunStore.INPUT;
import static org.admap.store.RunStore.LABELS;

import java.sql.PreparedStatement;
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
        try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
            if (!source.equals(INPUT) && !source.equals(LABELS)) {
                ps.setString(1, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int current = -1;
                while (rs.next()) {
                    int key = rs.getInt(1);
                    if (key != current && current >= 0) {
                        consumer.accept(assembler.finish(current));
                    }
                    current = key;
                    assembler.row(rs);
                }
                if (current >= 0) {
                    consumer.accept(assembler.finish(current));
                }
            }
        } catch (SQLException e) {
            throw StoreException.cannot(store.file(), "read items", e);
        }
    }
}
