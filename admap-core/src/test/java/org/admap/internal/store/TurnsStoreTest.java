package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.model.Item;
import org.admap.model.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversational prompt keeps its turns through the run store: written at ingest, read back
 * by the scorers' item stream and by the report's details, NULL for a plain prompt; a store
 * made before the column existed gains it on open and reads as plain prompts.
 */
class TurnsStoreTest {

    /** TRL conversational preference with an explicit prompt, one with an implicit one, and a plain prompt. */
    private static final String[] ROWS = {
        "{\"id\": \"conv\", \"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"Hi <b>there</b>\"},"
                + " {\"role\": \"assistant\", \"content\": \"Hello.\"}, {\"role\": \"user\", \"content\": \"2+2?\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"4\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"5\"}]}",
        "{\"id\": \"implicit\", \"chosen\": [{\"role\": \"user\", \"content\": \"Name a colour.\"},"
                + " {\"role\": \"assistant\", \"content\": \"Blue\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"Name a colour.\"},"
                + " {\"role\": \"assistant\", \"content\": \"Seven\"}]}",
        "{\"id\": \"plain\", \"prompt\": \"Say hi.\", \"chosen\": \"hi\", \"rejected\": \"no\"}",
    };

    private static final List<Turn> CONVERSATION = List.of(new Turn("system", "Be brief."),
            new Turn("user", "Hi <b>there</b>"), new Turn("assistant", "Hello."), new Turn("user", "2+2?"));

    @TempDir
    Path dir;

    private Path ingested() throws Exception {
        Path file = dir.resolve(RunStore.FILE_NAME);
        TestFiles.ingest(file, IngestOptions.defaults(), TestFiles.jsonl(dir, "conv.jsonl", ROWS)).close();
        return file;
    }

    private static List<Item> items(RunStore store) {
        List<Item> items = new ArrayList<>();
        store.forEachItem(RunStore.LABELS, null, k -> items.add(k.item()));
        return items;
    }

    @Test
    void turnsReadBackAsIngestReadThemAndPlainPromptsHaveNone() throws Exception {
        Path file = ingested();
        try (RunStore store = RunStore.open(file)) {
            List<Item> items = items(store);
            assertThat(items.get(0).turns()).isEqualTo(CONVERSATION);
            assertThat(items.get(0).prompt()).as("the prompt stays the flattened text")
                    .isEqualTo("System: Be brief.\n\nUser: Hi <b>there</b>\n\nAssistant: Hello.\n\nUser: 2+2?");
            assertThat(items.get(0).responses()).extracting(r -> r.text()).containsExactly("4", "5");
            assertThat(items.get(1).turns()).containsExactly(Turn.user("Name a colour."));
            assertThat(items.get(2).turns()).isEmpty();
            assertThat(items.get(2).isConversation()).isFalse();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, turns IS NULL, json_extract_string(turns, '$[3].content')"
                     + " FROM items ORDER BY item_key")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getBoolean(2) + ":" + rs.getString(3));
            }
            assertThat(rows).as("JSON that DuckDB reads; NULL for a plain prompt")
                    .containsExactly("conv:false:2+2?", "implicit:false:null", "plain:true:null");
        }
    }

    @Test
    void theDetailsOfAnItemCarryItsTurnsCutLikeEveryText() throws Exception {
        Path file = ingested();
        try (RunStore store = RunStore.open(file)) {
            ItemDetails.Detail conv = ItemDetails.of(store).item(0, 5).orElseThrow();
            assertThat(conv.isConversation()).isTrue();
            assertThat(conv.turns()).extracting(ItemDetails.Turn::role)
                    .containsExactly("system", "user", "assistant", "user");
            ItemDetails.Text second = conv.turns().get(1).content();
            assertThat(second.text()).isEqualTo("Hi <b");
            assertThat(second.length()).isEqualTo("Hi <b>there</b>".length());
            assertThat(second.truncated()).isTrue();
            assertThat(ItemDetails.of(store).item(2, 100).orElseThrow().turns()).isEmpty();
        }
    }

    @Test
    void aStoreFromBeforeTheTurnsColumnGainsItOnOpenAndReadsAsPlainPrompts() throws Exception {
        Path file = ingested();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("ALTER TABLE items DROP COLUMN images"); // images came after turns
            st.execute("ALTER TABLE items DROP COLUMN turns"); // the items table as admap wrote it before turns
        }
        try (RunStore store = RunStore.open(file)) {
            List<Item> items = items(store);
            assertThat(items).hasSize(3).allSatisfy(i -> assertThat(i.turns()).isEmpty());
            assertThat(items.get(0).prompt()).startsWith("System: Be brief.");
            assertThat(ItemDetails.of(store).item(0, 100).orElseThrow().turns()).isEmpty();
            // An ingest after the migration stores turns in the added column.
            try (ItemWriter w = store.openItemWriter()) {
                w.setInput(0);
                Item old = items.get(0);
                w.add(new Item("again", old.prompt(), old.input(), null, old.responses(), old.source(), CONVERSATION),
                        false);
            }
            assertThat(items(store).get(3).turns()).isEqualTo(CONVERSATION);
        }
    }
}
