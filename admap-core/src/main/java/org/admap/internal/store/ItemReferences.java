package org.admap.internal.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.admap.ingest.ReferenceFile;

/**
 * Sets the reference answers of a run's instructions from a separate file, matched by id,
 * else by full prompt text (instruction, a blank line, then the alpaca-style input, as
 * {@link org.admap.model.Item#fullPrompt()} joins them). The data itself is unchanged; the references replace any that
 * came with it, and the run records which file they came from.
 */
public final class ItemReferences {

    private ItemReferences() {
    }

    /** What a file matched. */
    public record Result(long matched, long unmatched) {
    }

    /** Applies references to the store's items in one transaction. */
    public static Result apply(RunStore store, List<ReferenceFile.Entry> entries, String fileName) {
        var c = store.connection();
        long matched = 0;
        long unmatched = 0;
        try {
            c.setAutoCommit(false);
            try (PreparedStatement byId = c.prepareStatement("UPDATE items SET reference = ? WHERE id = ?");
                 PreparedStatement byPrompt = c.prepareStatement(
                         "UPDATE items SET reference = ? WHERE (CASE WHEN input = '' THEN prompt"
                                 + " ELSE prompt || chr(10) || chr(10) || input END) = ?")) {
                for (ReferenceFile.Entry e : entries) {
                    int n = 0;
                    if (e.id() != null) {
                        byId.setString(1, e.reference());
                        byId.setString(2, e.id());
                        n = byId.executeUpdate();
                    }
                    if (n == 0 && e.prompt() != null) {
                        byPrompt.setString(1, e.reference());
                        byPrompt.setString(2, e.prompt());
                        n = byPrompt.executeUpdate();
                    }
                    if (n > 0) {
                        matched += n;
                    } else {
                        unmatched++;
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the update error is the one to report
            }
            throw new StoreException("cannot set references from " + fileName + ": " + e.getMessage(), e);
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // unusable anyway
            }
        }
        store.putInfo("references.file", fileName + " (" + matched + " instructions)");
        return new Result(matched, unmatched);
    }
}
