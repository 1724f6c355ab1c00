package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.admap.RealData;
import org.admap.model.Item;
import org.admap.model.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pairwise layout keeps a prompt given as chat messages as the item's turns, whichever
 * way TRL writes it, while the prompt text (and so the map and the ids) stays as before.
 */
class PairwiseTurnsTest {

    @TempDir
    Path dir;

    private Item read(String line) throws Exception {
        List<Item> items = TestFiles.readAll(TestFiles.jsonl(dir, "d.jsonl", line));
        return items.get(0);
    }

    @Test
    void trlsOwnConversationalFilesKeepTheirPromptMessagesAndItsStandardOnesHaveNone() throws Exception {
        Path trl = RealData.require("trl-zen");
        for (String name : new String[] {"conversational_preference.jsonl",
            "conversational_implicit_prompt_preference.jsonl"}) {
            List<Item> items = TestFiles.readAll(trl.resolve(name));
            assertThat(items).as(name).hasSize(19).allSatisfy(i ->
                    assertThat(i.turns()).containsExactly(Turn.user(i.prompt())));
            assertThat(items.get(0).prompt()).isEqualTo("What is better than ugly?");
            assertThat(items.get(0).responses()).extracting(r -> r.text()).containsExactly("Beautiful.", "Acceptable.");
        }
        assertThat(TestFiles.readAll(trl.resolve("standard_preference.jsonl")))
                .hasSize(19).noneMatch(Item::isConversation);
    }

    @Test
    void anExplicitMessageListPromptBecomesTheTurns() throws Exception {
        Item item = read("{\"prompt\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\":"
                + " \"U\"}], \"chosen\": [{\"role\": \"assistant\", \"content\": \"a\"}], \"rejected\":"
                + " [{\"role\": \"assistant\", \"content\": \"b\"}]}");
        assertThat(item.turns()).containsExactly(new Turn("system", "S"), Turn.user("U"));
        assertThat(item.prompt()).isEqualTo("System: S\n\nUser: U");
    }

    @Test
    void theSharedMessagesOfAnImplicitPromptBecomeTheTurns() throws Exception {
        Item item = read("{\"chosen\": [{\"role\": \"user\", \"content\": \"Q1\"}, {\"role\": \"assistant\","
                + " \"content\": \"A1\"}, {\"role\": \"user\", \"content\": \"Q2\"}, {\"role\": \"assistant\","
                + " \"content\": \"good\"}], \"rejected\": [{\"role\": \"user\", \"content\": \"Q1\"}, {\"role\":"
                + " \"assistant\", \"content\": \"A1\"}, {\"role\": \"user\", \"content\": \"Q2\"}, {\"role\":"
                + " \"assistant\", \"content\": \"bad\"}]}");
        assertThat(item.turns()).containsExactly(Turn.user("Q1"), new Turn("assistant", "A1"), Turn.user("Q2"));
        assertThat(item.responses()).extracting(r -> r.text()).containsExactly("good", "bad");
    }

    @Test
    void aStringPromptTheMessageListsRepeatTakesTheirTurnsAndOneTheyDoNotRepeatNone() throws Exception {
        // ultrafeedback_binarized: the prompt as a string and again as the lists' first message.
        Item same = read("{\"prompt\": \"Q\", \"chosen\": [{\"role\": \"user\", \"content\": \"Q\"}, {\"role\":"
                + " \"assistant\", \"content\": \"a\"}], \"rejected\": [{\"role\": \"user\", \"content\": \"Q\"},"
                + " {\"role\": \"assistant\", \"content\": \"b\"}]}");
        assertThat(same.turns()).containsExactly(Turn.user("Q"));
        Item other = read("{\"prompt\": \"Another\", \"chosen\": [{\"role\": \"user\", \"content\": \"Q\"}, {\"role\":"
                + " \"assistant\", \"content\": \"a\"}], \"rejected\": [{\"role\": \"user\", \"content\": \"Q\"},"
                + " {\"role\": \"assistant\", \"content\": \"b\"}]}");
        assertThat(other.turns()).as("turns that would not say what the prompt says are not kept").isEmpty();
        Item plain = read("{\"prompt\": \"P\", \"chosen\": \"a\", \"rejected\": \"b\"}");
        assertThat(plain.isConversation()).isFalse();
    }
}
