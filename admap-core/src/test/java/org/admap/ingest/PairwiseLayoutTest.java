package org.admap.ingest;

import static org.admap.ingest.MultiResponseLayoutTest.sha256Prefix;
import static org.admap.ingest.TestFiles.jsonl;
import static org.admap.ingest.TestFiles.readOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.admap.model.Item;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One comparison per row in every common spelling (TRL strings and conversations,
 * ultrafeedback_binarized, alpaca, HH-RLHF dialogues) becomes an item with two responses:
 * chosen labelled 1, rejected labelled 0.
 */
class PairwiseLayoutTest {

    private static final double NA = Response.ABSENT;

    @TempDir
    Path dir;

    private Item read(String... lines) throws Exception {
        return readOne(jsonl(dir, "pairs.jsonl", lines));
    }

    /** A JSON line with chosen and rejected as whole HH-RLHF dialogues. */
    private static String hh(String chosen, String rejected) throws Exception {
        ObjectNode row = JsonSupport.MAPPER.createObjectNode().put("chosen", chosen).put("rejected", rejected);
        return JsonSupport.MAPPER.writeValueAsString(row);
    }

    // ---- TRL ------------------------------------------------------------------------------

    @Test
    void trlStringsBecomeChosenLabelledOneAndRejectedLabelledZero() throws Exception {
        Path file = jsonl(dir, "pairs.jsonl", "{\"prompt\": \"What is 2+2?\", \"chosen\": \"4\", \"rejected\": \"5\"}");

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            Item item = reader.next();

            assertThat(reader.layout()).isEqualTo(Layout.PAIRWISE);
            assertThat(reader.layoutDescription()).isEqualTo("pairwise");
            assertThat(item.prompt()).isEqualTo("What is 2+2?");
            assertThat(item.id()).isEqualTo(sha256Prefix("What is 2+2?"));
            assertThat(item.responses()).containsExactly(new Response("4", NA, 1, null), new Response("5", NA, 0,
                    null));
        }
    }

    @Test
    void promptRepeatedAtTheHeadOfBothResponsesIsTakenOff() throws Exception {
        Item item = read("{\"prompt\": \"Question: say hello\\n\", \"chosen\": \"Question: say hello\\nHello!\","
                + " \"rejected\": \"Question: say hello\\nGo away.\"}");

        assertThat(item.responses()).extracting(Response::text).containsExactly("Hello!", "Go away.");
    }

    @Test
    void answersThatMerelyStartWithThePromptsWordsAreKeptWhole() throws Exception {
        Item item = read("{\"prompt\": \"Hi\", \"chosen\": \"Hi! How can I help?\", \"rejected\": \"Hi there.\"}");
        assertThat(item.responses()).extracting(Response::text).containsExactly("Hi! How can I help?", "Hi there.");

        Item longer = read("{\"prompt\": \"Write a haiku about autumn\", \"chosen\": \"Write a haiku about autumn " +
                "leaves?"
                + " Here: ...\", \"rejected\": \"Write a haiku about autumn? No.\"}");
        assertThat(longer.responses()).extracting(Response::text)
                .containsExactly("Write a haiku about autumn leaves? Here: ...", "Write a haiku about autumn? No.");
    }

    @Test
    void promptAtTheHeadOfOnlyOneResponseIsLeftInPlace() throws Exception {
        Item item = read("{\"prompt\": \"Q\", \"chosen\": \"Quite.\", \"rejected\": \"No.\"}");

        assertThat(item.responses()).extracting(Response::text).containsExactly("Quite.", "No.");
    }

    @Test
    void modelsOfBothSidesAreKept() throws Exception {
        Item item = read("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"chosen_model\": \"gpt-4\","
                + " \"rejected_model\": \"alpaca-7b\"}");

        assertThat(item.responses()).extracting(Response::model).containsExactly("gpt-4", "alpaca-7b");
    }

    @Test
    void trlConversationWithExplicitPromptMessages() throws Exception {
        Item item = read("{\"prompt\": [{\"role\": \"user\", \"content\": \"Capital of France?\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Paris.\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Lyon.\"}]}");

        assertThat(item.prompt()).isEqualTo("Capital of France?");
        assertThat(item.responses()).extracting(Response::text).containsExactly("Paris.", "Lyon.");
    }

    @Test
    void explicitPromptOfSeveralMessagesIsWrittenAsRoleParagraphs() throws Exception {
        Item item = read("{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"Capital of France?\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Paris.\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Lyon.\"}]}");

        assertThat(item.prompt()).isEqualTo("System: Be brief.\n\nUser: Capital of France?");
    }

    @Test
    void trlConversationWithImplicitPromptTakesTheSharedMessages() throws Exception {
        Item item = read("{\"chosen\": [{\"role\": \"user\", \"content\": \"Capital of France?\"},"
                + " {\"role\": \"assistant\", \"content\": \"Paris.\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"Capital of France?\"},"
                + " {\"role\": \"assistant\", \"content\": \"Lyon.\"}]}");

        assertThat(item.prompt()).isEqualTo("Capital of France?");
        assertThat(item.id()).isEqualTo(sha256Prefix("Capital of France?"));
        assertThat(item.responses()).containsExactly(new Response("Paris.", NA, 1, null),
                new Response("Lyon.", NA, 0, null));
    }

    @Test
    void implicitPromptOfSeveralSharedTurnsKeepsTheTurns() throws Exception {
        Item item = read("{\"chosen\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\","
                + " \"content\": \"Hello.\"}, {\"role\": \"user\", \"content\": \"Joke?\"},"
                + " {\"role\": \"assistant\", \"content\": \"Knock knock.\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\","
                + " \"content\": \"Hello.\"}, {\"role\": \"user\", \"content\": \"Joke?\"},"
                + " {\"role\": \"assistant\", \"content\": \"No.\"}, {\"role\": \"user\", \"content\": \"Please?\"}]}");

        assertThat(item.prompt()).isEqualTo("User: Hi\n\nAssistant: Hello.\n\nUser: Joke?");
        assertThat(item.responses()).extracting(Response::text)
                .containsExactly("Knock knock.", "Assistant: No.\n\nUser: Please?");
    }

    @Test
    void conversationsSharingNoMessageAndNoPromptAreAnError() throws Exception {
        Path file = jsonl(dir, "pairs.jsonl", "{\"chosen\": [{\"role\": \"user\", \"content\": \"a\"},"
                + " {\"role\": \"assistant\", \"content\": \"b\"}], \"rejected\": [{\"role\": \"user\", \"content\": " +
                        "\"c\"},"
                + " {\"role\": \"assistant\", \"content\": \"d\"}]}");

        assertThatThrownBy(() -> readOne(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'chosen': no prompt field, and the implicit-prompt rule (TRL's"
                        + " extract_prompt: the messages chosen and rejected share from the start) failed: their"
                        + " first messages differ, so nothing can be taken as the prompt");
    }

    @Test
    void messageContentAsTextPartsIsJoined() throws Exception {
        Item item = read("{\"prompt\": \"p\", \"chosen\": [{\"role\": \"assistant\", \"content\": [{\"type\": \"text\","
                + " \"text\": \"Hel\"}, {\"type\": \"image_url\", \"image_url\": \"x\"}, {\"type\": \"text\", " +
                        "\"text\": \"lo\"}]}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Bye\"}]}");

        assertThat(item.responses()).extracting(Response::text).containsExactly("Hello", "Bye");
    }

    // ---- ultrafeedback_binarized ----------------------------------------------------------

    @Test
    void binarizedRowsTakePromptIdScoresAndTheFinalAssistantTurns() throws Exception {
        Item item = read("{\"prompt\": \"Name a fruit.\", \"prompt_id\": \"abc123\","
                + " \"chosen\": [{\"role\": \"user\", \"content\": \"Name a fruit.\"},"
                + " {\"role\": \"assistant\", \"content\": \"An apple.\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"Name a fruit.\"},"
                + " {\"role\": \"assistant\", \"content\": \"A carrot.\"}],"
                + " \"messages\": [], \"score_chosen\": 8.5, \"score_rejected\": 3.0}");

        assertThat(item.id()).isEqualTo("abc123");
        assertThat(item.prompt()).isEqualTo("Name a fruit.");
        assertThat(item.responses()).containsExactly(new Response("An apple.", 8.5, 1, null),
                new Response("A carrot.", 3.0, 0, null));
    }

    @Test
    void pairScoresAreTransformedOnBothSides() throws Exception {
        Path file = jsonl(dir, "pairs.jsonl",
                "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 10, " +
                        "\"score_rejected\": \"4\"}");
        IngestOptions options = IngestOptions.defaults().withScoreTransform(ScoreTransform.parse("x / 10"));

        assertThat(readOne(file, options).responses()).extracting(Response::score).containsExactly(1.0, 0.4);
    }

    @Test
    void explicitIdWinsOverPromptId() throws Exception {
        Item item = read("{\"id\": \"mine\", \"prompt_id\": \"theirs\", \"prompt\": \"p\", \"chosen\": \"a\","
                + " \"rejected\": \"b\"}");

        assertThat(item.id()).isEqualTo("mine");
    }

    // ---- alpaca / LLaMA-Factory -----------------------------------------------------------

    @Test
    void alpacaRowsKeepInstructionAndInputApart() throws Exception {
        Item item = read("{\"instruction\": \"Translate to German.\", \"input\": \"good night\","
                + " \"chosen\": \"gute Nacht\", \"rejected\": \"guten Tag\"}");

        assertThat(item.prompt()).isEqualTo("Translate to German.");
        assertThat(item.input()).isEqualTo("good night");
        assertThat(item.fullPrompt()).isEqualTo("Translate to German.\n\ngood night");
        assertThat(item.id()).isEqualTo(sha256Prefix("Translate to German.\n\ngood night"));
        assertThat(item.responses()).containsExactly(new Response("gute Nacht", NA, 1, null),
                new Response("guten Tag", NA, 0, null));
    }

    @Test
    void alpacaRowWithEmptyInputHasTheInstructionAsFullPrompt() throws Exception {
        Item item = read("{\"instruction\": \"Say hi.\", \"input\": \"\", \"chosen\": \"Hi!\", \"rejected\": \"No.\"}");

        assertThat(item.fullPrompt()).isEqualTo("Say hi.");
        assertThat(item.id()).isEqualTo(sha256Prefix("Say hi."));
    }

    // ---- HH-RLHF dialogues ----------------------------------------------------------------

    @Test
    void hhDialogueIsSplitAtTheLastSharedAssistantMarker() throws Exception {
        String shared = "\n\nHuman: Hi there\n\nAssistant: Hello! How can I help?\n\nHuman: Tell me a " +
                "joke.\n\nAssistant:";
        Item item = read(hh(shared + " Why did the chicken cross the road?", shared + " No."));

        assertThat(item.prompt()).isEqualTo(shared);
        assertThat(item.prompt()).endsWith("\n\nAssistant:");
        // The space after "Assistant:" starts each response, so that prompt + response is the dialogue.
        assertThat(item.responses()).containsExactly(
                new Response(" Why did the chicken cross the road?", NA, 1, null),
                new Response(" No.", NA, 0, null));
        assertThat(item.id()).isEqualTo(sha256Prefix(shared));
    }

    @Test
    void hhAnswersThatStartWithTheSameWordsKeepThem() throws Exception {
        String shared = "\n\nHuman: How do I pick a lock?\n\nAssistant:";
        Item item = read(hh(shared + " I'm sorry, I can't help with that.",
                shared + " I'm sorry to hear you're locked out! First, get a tension wrench."));

        assertThat(item.prompt()).isEqualTo(shared);
        assertThat(item.responses()).extracting(Response::text).containsExactly(
                " I'm sorry, I can't help with that.",
                " I'm sorry to hear you're locked out! First, get a tension wrench.");
    }

    @Test
    void hhTurnsAfterTheDivergenceStayInTheResponse() throws Exception {
        String shared = "\n\nHuman: Is the stove hot?\n\nAssistant:";
        String chosen = shared + " Maybe, check carefully.\n\nHuman: How?\n\nAssistant: Hold your hand above it.";
        Item item = read(hh(chosen, shared + " Touch it."));

        assertThat(item.prompt()).isEqualTo(shared);
        assertThat(item.responses()).extracting(Response::text).containsExactly(
                " Maybe, check carefully.\n\nHuman: How?\n\nAssistant: Hold your hand above it.", " Touch it.");
    }

    @Test
    void hhResponsesKeepEveryCharacterAfterTheMarkerSoPromptPlusResponseIsTheDialogue() throws Exception {
        String shared = "\n\nHuman: Indent?\n\nAssistant:";
        Item item = read(hh(shared + "   indented", shared + "flush"));

        assertThat(item.responses()).extracting(Response::text).containsExactly("   indented", "flush");
        assertThat(item.prompt() + item.responses().get(0).text()).isEqualTo(shared + "   indented");
    }

    @Test
    void hhDialoguesSharingNoAssistantMarkerAreAClearError() throws Exception {
        Path file = jsonl(dir, "pairs.jsonl",
                hh("\n\nHuman: Hi\n\nAssistant: Hello", "\n\nHuman: Hi\n\nAssistant: Hey"),
                hh("\n\nHuman: Cats?\n\nAssistant: Yes", "\n\nHuman: Dogs?\n\nAssistant: Yes"));

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":2: field 'chosen': no prompt field, and no rule splits the prompt from the"
                        + " responses: (1) HH-RLHF dialogue (cut after the last shared 'Assistant:'): chosen and"
                        + " rejected share no such turn; (2) TRL's extract_prompt (longest common prefix by"
                        + " characters): not used on Human:/Assistant: dialogues, where it would cut inside a turn");
    }

    @Test
    void textsWithoutAnyMarkerSplitAtTheirCommonPrefixAsTrlDoes() throws Exception {
        // TRL's extract_prompt on a standard implicit-prompt row: the space before the difference
        // goes to the responses. (Before TRL's rule was read, such rows were an error.)
        Item item = readOne(jsonl(dir, "pairs.jsonl", hh("Sure thing.", "Sure, no.")));

        assertThat(item.prompt()).isEqualTo("Sure");
        assertThat(item.responses()).extracting(Response::text).containsExactly(" thing.", ", no.");
    }

    @Test
    void textsDifferingFromTheFirstCharacterSayWhichRulesFailed() throws Exception {
        Path file = jsonl(dir, "pairs.jsonl", hh("Yes.", "No."));

        assertThatThrownBy(() -> readOne(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'chosen': no prompt field, and no rule splits the prompt from the"
                        + " responses: (1) HH-RLHF dialogue (cut after the last shared 'Assistant:'): chosen and"
                        + " rejected share no such turn; (2) TRL's extract_prompt (longest common prefix by"
                        + " characters): they differ from their first character");
    }

    @Test
    void dialogueSplitReturnsNullWhenTheMarkerIsOnlyPartlyShared() {
        assertThat(Dialogue.split("\n\nHuman: x\n\nAssistant: a", "\n\nHuman: x\n\nAssist")).isNull();
        assertThat(Dialogue.split("", "")).isNull();
    }

    @Test
    void dialogueSplitKeepsIdenticalDialoguesWhole() {
        Dialogue.Split split = Dialogue.split("\n\nHuman: x\n\nAssistant: same", "\n\nHuman: x\n\nAssistant: same");

        assertThat(split).isEqualTo(new Dialogue.Split("\n\nHuman: x\n\nAssistant:", " same", " same"));
    }

    @Test
    void explicitPromptMeansNoDialogueSplitting() throws Exception {
        Item item = read("{\"prompt\": \"Hi\", \"chosen\": \"\\n\\nHuman: a\\n\\nAssistant: b\","
                + " \"rejected\": \"\\n\\nHuman: a\\n\\nAssistant: c\"}");

        assertThat(item.prompt()).isEqualTo("Hi");
        assertThat(item.responses()).extracting(Response::text)
                .containsExactly("\n\nHuman: a\n\nAssistant: b", "\n\nHuman: a\n\nAssistant: c");
    }
}
