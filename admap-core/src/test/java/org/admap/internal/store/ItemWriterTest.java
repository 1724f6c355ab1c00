package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.IngestReport;
import org.admap.ingest.TestFiles;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Items reach the store in input order: one-row-per-response data is merged by id across
 * files, with positions continuing; a repeated id in row layouts is a distinct instruction
 * stored as {@code id#2}, {@code id#3}.
 */
class ItemWriterTest {

    @TempDir
    Path dir;

    private static List<KeyedItem> all(RunStore store) {
        List<KeyedItem> items = new ArrayList<>();
        store.forEachItem(RunStore.INPUT, null, items::add);
        return items;
    }

    private static String longRow(String prompt, String response, double score) {
        return "{\"prompt\": \"" + prompt + "\", \"response\": \"" + response + "\", \"score\": " + score + "}";
    }

    @Test
    void longRowsMergeAcrossTwoFilesWithResponsesAppendedInOrder() throws Exception {
        Path first = TestFiles.jsonl(dir, "first.jsonl",
                longRow("A", "a1", 1), longRow("B", "b1", 2), longRow("A", "a2", 3));
        Path second = TestFiles.jsonl(dir, "second.jsonl",
                longRow("B", "b2", 4), longRow("A", "a3", 5), longRow("C", "c1", 6));

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(first, second), IngestOptions.defaults(), store,
                    Progress.Factory.NONE);
            List<KeyedItem> items = all(store);

            assertThat(report.items()).isEqualTo(3);
            assertThat(report.responses()).isEqualTo(6);
            assertThat(report.renamedIds()).isZero();
            assertThat(items).extracting(KeyedItem::key, k -> k.item().prompt())
                    .containsExactly(tuple(0, "A"), tuple(1, "B"), tuple(2, "C"));
            assertThat(items.get(0).item().responses()).extracting(Response::text, Response::score)
                    .containsExactly(tuple("a1", 1.0), tuple("a2", 3.0), tuple("a3", 5.0));
            assertThat(items.get(1).item().responses()).extracting(Response::text).containsExactly("b1", "b2");
            assertThat(items.get(0).item().source()).as("where the item was first seen")
                    .isEqualTo(SourceLocation.line(first.toString(), 1));
            assertThat(items.get(2).item().source()).isEqualTo(SourceLocation.line(second.toString(), 3));
        }
    }

    @Test
    void mergedResponsesGetConsecutivePositions() throws Exception {
        Path first = TestFiles.jsonl(dir, "first.jsonl", longRow("A", "a1", 1), longRow("A", "a2", 2));
        Path second = TestFiles.jsonl(dir, "second.jsonl", longRow("A", "a3", 3));
        TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), first, second).close();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("run.duckdb"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT item_key, position, text FROM responses ORDER BY position")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getInt(1) + "/" + rs.getInt(2) + "/" + rs.getString(3));
            }
            assertThat(rows).containsExactly("0/0/a1", "0/1/a2", "0/2/a3");
        }
    }

    @Test
    void repeatedIdsInRowLayoutsAreRenamedInOrder() throws Exception {
        Path file = TestFiles.jsonl(dir, "multi.jsonl",
                "{\"id\": \"x\", \"prompt\": \"first\", \"responses\": [\"a\"]}",
                "{\"id\": \"x\", \"prompt\": \"second\", \"responses\": [\"b\"]}",
                "{\"id\": \"y\", \"prompt\": \"third\", \"responses\": [\"c\"]}",
                "{\"id\": \"x\", \"prompt\": \"fourth\", \"responses\": [\"d\", \"e\"]}");

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(file), IngestOptions.defaults(), store, Progress.Factory.NONE);

            assertThat(report.renamedIds()).isEqualTo(2);
            assertThat(report.items()).isEqualTo(4);
            assertThat(all(store)).extracting(k -> k.item().id(), k -> k.item().prompt(),
                            k -> k.item().responses().size())
                    .containsExactly(tuple("x", "first", 1), tuple("x#2", "second", 1), tuple("y", "third", 1),
                            tuple("x#3", "fourth", 2));
        }
    }

    @Test
    void fiftyThousandRowsSharingAnIdAreStoredAsIdHashTwoToFiftyThousand() throws Exception {
        // renaming searched from #2 for every copy: 40,000 such rows took a minute, 4 GiB never ended
        String[] rows = new String[50_000];
        java.util.Arrays.fill(rows, "{\"id\": \"same\", \"prompt\": \"p\", \"responses\": [\"a\"]}");
        Path file = TestFiles.jsonl(dir, "same.jsonl", rows);
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(file), IngestOptions.defaults(), store, Progress.Factory.NONE);
            assertThat(report.renamedIds()).isEqualTo(49_999);
            List<String> ids = all(store).stream().map(k -> k.item().id()).toList();
            assertThat(ids).hasSize(50_000).startsWith("same", "same#2", "same#3").endsWith("same#50000");
            assertThat(new java.util.HashSet<>(ids)).hasSize(50_000);
        }
    }

    @Test
    void renamingSkipsIdsTheDataAlreadyUses() throws Exception {
        Path file = TestFiles.jsonl(dir, "multi.jsonl",
                "{\"id\": \"x#2\", \"prompt\": \"p1\", \"responses\": [\"a\"]}",
                "{\"id\": \"x\", \"prompt\": \"p2\", \"responses\": [\"b\"]}",
                "{\"id\": \"x\", \"prompt\": \"p3\", \"responses\": [\"c\"]}");

        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), file)) {
            assertThat(all(store)).extracting(k -> k.item().id()).containsExactly("x#2", "x", "x#3");
        }
    }

    @Test
    void samePairPromptInTwoFilesIsTwoInstructions() throws Exception {
        String pair = "{\"prompt\": \"Same question?\", \"chosen\": \"yes\", \"rejected\": \"no\"}";
        Path first = TestFiles.jsonl(dir, "first.jsonl", pair);
        Path second = TestFiles.jsonl(dir, "second.jsonl", pair);

        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), first, second)) {
            List<KeyedItem> items = all(store);

            assertThat(items).hasSize(2);
            assertThat(items.get(1).item().id()).isEqualTo(items.get(0).item().id() + "#2");
            assertThat(items).allSatisfy(k -> assertThat(k.item().responses()).hasSize(2));
        }
    }

    @Test
    void writerUsedDirectlyReturnsKeysAndMergesOnRequest() throws Exception {
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            SourceLocation where = SourceLocation.line("in.jsonl", 1);
            try (ItemWriter writer = store.openItemWriter()) {
                writer.setInput(0);
                assertThat(writer.add(item("p", where, "r1"), false)).isZero();
                assertThat(writer.add(item("q", where, "r2", "r3"), true)).as("a new id with merge").isEqualTo(1);
                assertThat(writer.add(item("p", where, "r4"), true)).as("merged into p").isZero();
                assertThat(writer.add(item("q", where, "r5"), false)).as("renamed q#2").isEqualTo(2);
                assertThat(writer.itemCount()).isEqualTo(3);
                assertThat(writer.responseCount()).isEqualTo(5);
                assertThat(writer.renamedIds()).isEqualTo(1);
            }
            store.addInput(new InputFileRecord(0, "in.jsonl", "jsonl", false, "multi-response", 10,
                    Instant.parse("2025-01-01T00:00:00Z"), 4, 0));

            assertThat(all(store)).extracting(k -> k.item().id(), k -> k.item().responses().stream()
                            .map(Response::text).toList())
                    .containsExactly(tuple("p", List.of("r1", "r4")), tuple("q", List.of("r2", "r3")),
                            tuple("q#2", List.of("r5")));
        }
    }

    @Test
    void aSecondWriterContinuesTheKeys() throws Exception {
        SourceLocation where = SourceLocation.line("in.jsonl", 1);
        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            try (ItemWriter writer = store.openItemWriter()) {
                writer.add(item("p", where, "a"), false);
                writer.add(item("q", where, "b"), false);
            }
            try (ItemWriter writer = store.openItemWriter()) {
                assertThat(writer.add(item("r", where, "c"), false)).isEqualTo(2);
            }
            assertThat(store.itemCount()).isEqualTo(3);
        }
    }

    private static Item item(String id, SourceLocation where, String... texts) {
        List<Response> responses = new ArrayList<>();
        for (String t : texts) {
            responses.add(new Response(t, Response.ABSENT, Response.ABSENT, null));
        }
        return new Item(id, "prompt of " + id, "", null, responses, where);
    }
}
