package org.admap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a DuckDB SQL script ({@code bench/pipeline.sql}) on one input as a process of its own,
 * so that {@code admap bench --pipeline} times it whole, start-up included, exactly as it
 * times admap's commands. A fresh in-memory database with DuckDB's default threads (one per
 * core) and memory limit.
 *
 * <p>usage: {@code java -cp ... org.admap.bench.DuckDbScript INPUT OUTDIR}
 */
public final class DuckDbScript {

    /** The pipeline script, as shipped in {@code bench/pipeline.sql}. */
    public static final String PIPELINE = DuckDbReference.load("pipeline.sql");

    private DuckDbScript() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DuckDbScript INPUT OUTDIR");
            System.exit(2);
        }
        Files.createDirectories(Path.of(args[1]));
        run(PIPELINE, Path.of(args[0]), Path.of(args[1]));
    }

    /** Runs the script's statements in order on a fresh in-memory database. */
    public static void run(String script, Path input, Path outDir) throws SQLException {
        String sql = script.replace("${READ}", DuckDbReference.reader(input, true))
                .replace("${OUT}", outDir.toAbsolutePath().toString().replace("'", "''"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (String statement : statements(sql)) {
                s.execute(statement);
            }
        }
    }

    /** The statements of a script: split at a semicolon that ends a line; comment lines dropped. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n", -1)) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            String trimmed = line.stripTrailing();
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                if (!current.toString().isBlank()) {
                    out.add(current.toString().strip());
                }
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
