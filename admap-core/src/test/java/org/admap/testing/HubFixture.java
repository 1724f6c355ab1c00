package org.admap.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small preference dataset laid out as on the Hugging Face Hub, for the stand-in to serve. */
public final class HubFixture {

    /** Instructions in the dataset: 40 in the JSON-lines file, 2 in the Parquet file. */
    public static final int ITEMS = 42;

    private HubFixture() {
    }

    /**
     * Writes into {@code dir}: a README, {@code data/train.jsonl} (40 instructions with three
     * scored responses each, padded to several kilobytes) and {@code data/test.parquet} (2
     * more, written with DuckDB).
     */
    public static Path preferenceDataset(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("README.md"), "# prefs\nA test dataset.\n");
        List<String> lines = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            lines.add(String.format("{\"id\": \"q%02d\", \"prompt\": \"Question %d?\", \"notes\": \"%s\","
                            + " \"responses\": [{\"text\": \"Answer A to %d\", \"score\": %d},"
                            + " {\"text\": \"Answer B to %d\", \"score\": %d}, {\"text\": \"Answer C to %d\", " +
                                    "\"score\": %d}]}",
                    i, i, "x".repeat(100), i, 1 + random.nextInt(10), i, 1 + random.nextInt(10), i,
                    1 + random.nextInt(10)));
        }
        Files.write(dir.resolve("data/train.jsonl"), lines);
        String parquet = dir.resolve("data/test.parquet").toAbsolutePath().toString().replace("'", "''");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM (VALUES"
                    + " ('p1', 'Name a primary colour.', [{'text': 'Red.', 'score': 8.5}, {'text': 'Purple.', " +
                            "'score': 2.0}]),"
                    + " ('p2', 'Say hello in French.', [{'text': 'Bonjour.', 'score': 9.0}, {'text': 'Hola.', " +
                            "'score': 1.0}])"
                    + ") AS t(id, prompt, responses)) TO '" + parquet + "' (FORMAT parquet)");
        }
        return dir;
    }
}
