package org.admap.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.internal.run.ScannedRun;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.admap.model.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of conversational data keeps the prompts' turns whichever way {@code admap map} takes:
 * the scan reads prompts that are JSON strings only, so a conversation always takes the full
 * ingest, whose store holds the turns, and never a deferred store whose texts are read back
 * by offset without them.
 */
class ConversationalRunTest {

    @TempDir
    Path dir;

    private static final String CONVERSATION = "[{\"role\": \"user\", \"content\": \"Hi\"},"
            + " {\"role\": \"assistant\", \"content\": \"Hello.\"}, {\"role\": \"user\", \"content\": \"2+2?\"}]";

    @Test
    void aConversationalPairwiseFileTakesTheFullIngestAndItsStoreHasTheTurns() throws Exception {
        Path data = dir.resolve("trl.jsonl");
        Files.writeString(data, "{\"prompt\": " + CONVERSATION + ", \"chosen\": [{\"role\": \"assistant\","
                + " \"content\": \"4\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"5\"}]}\n"
                + "{\"prompt\": \"Say hi.\", \"chosen\": \"hi\", \"rejected\": \"no\"}\n");
        Path runDir = dir.resolve("run");

        Run.Created created = Run.create(CreateOptions.of(List.of(data.toString()), runDir), Progress.Factory.NONE);

        assertThat(created.way()).isEqualTo(Run.Way.FULL_INGEST);
        List<Item> items = new ArrayList<>();
        try (RunStore store = created.run().openStore()) {
            store.forEachItem(RunStore.LABELS, null, k -> items.add(k.item()));
        }
        assertThat(items.get(0).turns()).containsExactly(Turn.user("Hi"), new Turn("assistant", "Hello."),
                Turn.user("2+2?"));
        assertThat(items.get(1).turns()).isEmpty();
    }

    @Test
    void aMultiResponseRowWhosePromptIsAMessageListIsNotScanned() throws Exception {
        Path data = dir.resolve("multi.jsonl");
        Files.writeString(data, "{\"id\": \"a\", \"prompt\": \"Plain.\", \"responses\": [{\"text\": \"x\", " +
                "\"score\": 1},"
                + " {\"text\": \"y\", \"score\": 2}]}\n"
                + "{\"id\": \"b\", \"prompt\": " + CONVERSATION + ", \"responses\": [{\"text\": \"x\", \"score\": 1},"
                + " {\"text\": \"y\", \"score\": 2}]}\n");

        ScannedRun.Written scanned = ScannedRun.create(List.of(data.toString()), IngestOptions.defaults(),
                dir.resolve("run"), false, null, org.admap.stats.Correlation.parse("cosine"), Progress.Factory.NONE, 1);

        assertThat(scanned).as("left to the full ingest, which reads the turns where the layout keeps them").isNull();
        assertThat(dir.resolve("run")).doesNotExist();
    }
}
