package org.admap.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.admap.model.Response;

/**
 * The SQL shared by the store's classes that read scores: how a source's score and standard
 * error are written as columns of {@code responses r}, and how absent numbers read back.
 */
final class ScoreSql {

    private ScoreSql() {
    }

    static double nullable(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? Response.ABSENT : d;
    }
}
