package org.admap.ingest;

import static org.admap.ingest.TestFiles.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.admap.internal.ingest.scan.ScoreScan;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layouts preference data is published in, on small fixtures written from each format's
 * public documentation (LLaMA-Factory's data README, TRL's dataset_formats.md, the dataset
 * cards of PKU-SafeRLHF, LMSYS Arena, Nectar, HelpSteer): each is recognised from its first
 * row and read into prompts, turns and labels.
 */
class PublishedLayoutsTest {

    private static final double NA = Response.ABSENT;

    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        return TestFiles.copyResource("layouts/" + name, dir, name);
    }

    private record Read(Layout layout, String description, List<Item> items, RowNotes notes) {
    }

    private Read read(String name, IngestOptions options) throws Exception {
        try (DatasetReader reader = DatasetReader.open(fixture(name), options)) {
            List<Item> items = TestFiles.drain(reader);
            return new Read(reader.layout(), reader.layoutDescription(), items, reader.notes());
        }
    }

    private Read read(String name) throws Exception {
        return read(name, IngestOptions.defaults());
    }

    private static List<Double> labels(Item item) {
        return item.responses().stream().map(Response::label).toList();
    }

    private static List<String> texts(Item item) {
        return item.responses().stream().map(Response::text).toList();
    }

    // ---- LLaMA-Factory ---------------------------------------------------------------------

    @Test
    void shareGptPreferenceKeepsSystemToolsAndEarlierTurnsAsTurns() throws Exception {
        Read r = read("sharegpt_dpo.json");

        assertThat(r.layout()).isEqualTo(Layout.SHAREGPT);
        Item single = r.items().get(0);
        assertThat(single.prompt()).isEqualTo("Name a prime.");
        assertThat(single.turns()).containsExactly(Turn.user("Name a prime."));
        assertThat(single.responses()).containsExactly(new Response("7", NA, 1, null), new Response("8", NA, 0, null));

        Item multi = r.items().get(1);
        assertThat(multi.turns()).containsExactly(new Turn("system", "Be brief."), Turn.user("Hi"),
                new Turn("assistant", "Hello."), Turn.user("Weather?"));
        assertThat(multi.prompt()).isEqualTo("System: Be brief.\n\nUser: Hi\n\nAssistant: Hello.\n\nUser: Weather?");
        assertThat(texts(multi)).containsExactly("Sunny.", "No idea.");

        Item tools = r.items().get(2);
        assertThat(tools.turns()).extracting(Turn::role)
                .containsExactly("system", "tools", "user", "function_call", "observation");
        assertThat(tools.turns().get(0).content()).isEqualTo("You can call tools.");
        assertThat(tools.turns().get(1).content()).isEqualTo("[{\"name\": \"clock\"}]");
    }

    @Test
    void shareGptColumnsAndTagsAreRemappedFromTheDatasetInfoEntry() throws Exception {
        DatasetInfo info = DatasetInfo.read(fixture("dataset_info.json"), "remapped_dpo");
        assertThat(info.layout()).isEqualTo(Layout.SHAREGPT);
        assertThat(info.fileName()).isEqualTo("sharegpt_remapped.json");

        Read r = read("sharegpt_remapped.json", IngestOptions.defaults().withLayout(info.layout())
                .withColumns(info.columns()));

        Item item = r.items().get(0);
        assertThat(item.prompt()).isEqualTo("Capital of Italy?");
        assertThat(item.turns()).containsExactly(Turn.user("Capital of Italy?"));
        assertThat(texts(item)).containsExactly("Rome.", "Milan.");
    }

    @Test
    void columnsGivenOnTheCommandLineRemapToo() throws Exception {
        Read r = read("sharegpt_remapped.json", IngestOptions.defaults().withColumns(Columns.parse(
                "messages=dialog,chosen=better,rejected=worse,role_tag=speaker,content_tag=text,user_tag=me,"
                        + "assistant_tag=bot")));

        assertThat(r.layout()).isEqualTo(Layout.SHAREGPT);
        assertThat(texts(r.items().get(0))).containsExactly("Rome.", "Milan.");
    }

    @Test
    void unknownColumnOrTagNamesAreRefusedWithTheDocumentedOnes() {
        assertThatThrownBy(() -> Columns.parse("promt=question")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown column 'promt': LLaMA-Factory's columns are [prompt, query,");
        assertThatThrownBy(() -> Columns.parse("speaker_tag=x")).hasMessageStartingWith("unknown tag 'speaker_tag'");
        assertThatThrownBy(() -> Columns.parse("prompt")).hasMessage("--columns: expected NAME=FIELD, got 'prompt'");
    }

    @Test
    void datasetInfoEntriesGiveTheirLayoutOrSayWhyTheyAreNoPreferenceData() throws Exception {
        Path info = fixture("dataset_info.json");

        assertThat(DatasetInfo.read(info, "kto_demo").layout()).isEqualTo(Layout.UNPAIRED);
        assertThat(DatasetInfo.read(info, "orca").layout()).isEqualTo(Layout.PAIRWISE);
        assertThatThrownBy(() -> DatasetInfo.read(info, "sft_only")).hasMessageContaining("dataset 'sft_only' is not"
                + " preference data: it has neither \"ranking\": true (pairs) nor a kto_tag column (unpaired)");
        assertThatThrownBy(() -> DatasetInfo.read(info, "nope")).hasMessageContaining("no dataset 'nope'; its 4"
                + " entries include [remapped_dpo, kto_demo, orca, sft_only]");
    }

    @Test
    void llamaFactoryKtoMessagesTakeTheLastAssistantTurnAsTheCompletion() throws Exception {
        Read r = read("kto_messages.json");

        assertThat(r.layout()).isEqualTo(Layout.UNPAIRED);
        assertThat(r.items()).hasSize(3);
        assertThat(r.items().get(0).prompt()).isEqualTo("2+2?");
        assertThat(r.items().get(0).id()).isEqualTo(r.items().get(1).id()); // grouped by prompt
        assertThat(r.items().get(0).responses()).containsExactly(new Response("4", NA, 1, null));
        assertThat(r.items().get(1).responses()).containsExactly(new Response("5", NA, 0, null));
        Item multi = r.items().get(2);
        assertThat(multi.turns()).containsExactly(Turn.user("Hi"), new Turn("assistant", "Hello."), Turn.user("Bye"));
        assertThat(texts(multi)).containsExactly("Go away.");
    }

    @Test
    void llamaFactoryKtoThroughItsDatasetInfoEntryReadsTheSame() throws Exception {
        DatasetInfo info = DatasetInfo.read(fixture("dataset_info.json"), "kto_demo");
        Read viaInfo = read("kto_messages.json", IngestOptions.defaults().withLayout(info.layout())
                .withColumns(info.columns()));

        assertThat(TestFiles.withoutSources(viaInfo.items()))
                .isEqualTo(TestFiles.withoutSources(read("kto_messages.json").items()));
    }

    @Test
    void alpacaRankingRowsKeepTheirSystemAndHistoryAsTurnsAndTheInstructionAsPrompt() throws Exception {
        Item item = TestFiles.readOne(jsonl(dir, "a.jsonl", "{\"instruction\": \"And 3+3?\", \"input\": \"\","
                + " \"system\": \"Be exact.\", \"history\": [[\"2+2?\", \"4\"]], \"chosen\": \"6\","
                + " \"rejected\": \"7\"}"));

        assertThat(item.prompt()).isEqualTo("And 3+3?"); // as before turns were read, so ids do not move
        assertThat(item.turns()).containsExactly(new Turn("system", "Be exact."), Turn.user("2+2?"),
                new Turn("assistant", "4"), Turn.user("And 3+3?"));
    }

    @Test
    void shareGptKtoRowsWithAKtoTagAreUnpaired() throws Exception {
        Path file = TestFiles.write(dir, "kto.json", "[{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"},"
                + " {\"from\": \"gpt\", \"value\": \"Hello.\"}], \"kto_tag\": false}]");

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            assertThat(reader.layout()).isEqualTo(Layout.UNPAIRED);
            assertThat(reader.next().responses()).containsExactly(new Response("Hello.", NA, 0, null));
        }
    }

    @Test
    void alpacaKtoColumnsOfADatasetInfoEntryAreRenamedToInstructionOutputAndKtoTag() throws Exception {
        DatasetInfo info = DatasetInfo.of("ultrafeedback_kto", JsonSupport.MAPPER.readTree("{\"columns\":"
                + " {\"prompt\": \"prompt\", \"response\": \"completion\", \"kto_tag\": \"label\"}}"), "info.json");
        Path file = jsonl(dir, "k.jsonl", "{\"prompt\": \"Hi\", \"completion\": \"Hello.\", \"label\": true}");

        assertThat(info.layout()).isEqualTo(Layout.UNPAIRED);
        Item item = TestFiles.readOne(file, IngestOptions.defaults().withLayout(info.layout())
                .withColumns(info.columns()));
        assertThat(item.prompt()).isEqualTo("Hi");
        assertThat(item.responses()).containsExactly(new Response("Hello.", NA, 1, null));
    }

    @Test
    void llamaFactoryV1SplitsThePromptAtTheSharedTurnsAndReadsTypedContent() throws Exception {
        Read r = read("llamafactory_v1.jsonl");

        assertThat(r.layout()).isEqualTo(Layout.LLAMAFACTORY_V1);
        Item first = r.items().get(0);
        assertThat(first.turns()).containsExactly(new Turn("system", "Translate."), Turn.user("Bonjour"));
        assertThat(first.prompt()).isEqualTo("System: Translate.\n\nUser: Bonjour");
        assertThat(first.responses()).containsExactly(new Response("Hello", NA, 1, null),
                new Response(" Goodbye", NA, 0, null));
        assertThat(r.items().get(1).prompt()).isEqualTo("Count to two");
    }

    // ---- TRL -------------------------------------------------------------------------------

    @Test
    void trlUnpairedRowsBecomeLabelledResponsesGroupedByPrompt() throws Exception {
        Read r = read("trl_unpaired_standard.jsonl");

        assertThat(r.layout()).isEqualTo(Layout.UNPAIRED);
        assertThat(r.description()).isEqualTo("unpaired (KTO)");
        assertThat(r.items()).extracting(Item::prompt).containsExactly("The sky is", "The sky is", "Water is");
        assertThat(r.items()).extracting(i -> i.responses().get(0)).containsExactly(
                new Response(" blue.", NA, 1, null), new Response(" green.", NA, 0, null),
                new Response(" wet.", NA, 1, null));

        try (var store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(),
                fixture("trl_unpaired_standard.jsonl"))) {
            assertThat(store.itemCount()).isEqualTo(2);
            assertThat(store.responseCount()).isEqualTo(3);
        }
    }

    @Test
    void trlConversationalUnpairedKeepsThePromptTurns() throws Exception {
        Read r = read("trl_unpaired_conversational.jsonl");

        assertThat(r.items().get(0).turns()).containsExactly(Turn.user("Colour of the sky?"));
        assertThat(r.items()).extracting(i -> i.responses().get(0)).containsExactly(
                new Response("Blue.", NA, 1, null), new Response("Green.", NA, 0, null));
    }

    @Test
    void unpairedLabelsMustBeTrueOrFalse() throws Exception {
        Path file = jsonl(dir, "kto.jsonl", "{\"prompt\": \"p\", \"completion\": \"c\", \"label\": \"maybe\"}");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'label': expected true or false, got \"maybe\"");
    }

    @Test
    void unpairedMessagesThatDoNotEndWithTheAssistantSayWhichRuleFailed() throws Exception {
        Path file = jsonl(dir, "kto.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],"
                + " \"label\": true}");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'messages': the prompt cannot be split from the completion: the rule"
                        + " (the last message is the assistant's completion, the messages before it the prompt)"
                        + " needs at least two messages ending with an assistant turn; got 1 ending with 'user'");
    }

    @Test
    void trlConversationalPromptsKeepTheirTurnsAndTheSameFlattenedText() throws Exception {
        Item item = TestFiles.readOne(jsonl(dir, "c.jsonl", "{\"prompt\": [{\"role\": \"system\", \"content\":"
                + " \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Capital of France?\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Paris.\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Lyon.\"}]}"));

        assertThat(item.prompt()).isEqualTo("System: Be brief.\n\nUser: Capital of France?");
        assertThat(item.turns()).containsExactly(new Turn("system", "Be brief."), Turn.user("Capital of France?"));
    }

    // ---- orca, PKU-SafeRLHF, Arena, Nectar, HelpSteer ---------------------------------------

    @Test
    void orcaPairsTakeTheQuestionAsPromptAndTheSystemAsATurn() throws Exception {
        Read r = read("orca.csv");

        assertThat(r.layout()).isEqualTo(Layout.PAIRWISE);
        Item withSystem = r.items().get(0);
        assertThat(withSystem.prompt()).isEqualTo("Is 9 prime?");
        assertThat(withSystem.turns()).containsExactly(new Turn("system", "You are an AI assistant."),
                Turn.user("Is 9 prime?"));
        assertThat(texts(withSystem)).containsExactly("No, 9 = 3 x 3.", "Yes.");
        assertThat(r.items().get(1).turns()).isEmpty(); // an empty system cell is no system turn
    }

    @Test
    void pkuSafeRlhfIsLabelledByTheBetterResponseUnlessToldOtherwise() throws Exception {
        Read better = read("pku_saferlhf.jsonl");
        Read safer = read("pku_saferlhf.jsonl", IngestOptions.defaults().withFields(null, null, null, "safer", null,
                null));
        Read safe = read("pku_saferlhf.jsonl", IngestOptions.defaults().withFields(null, null, null, "safe", null,
                null));

        assertThat(better.layout()).isEqualTo(Layout.PKU_SAFERLHF);
        assertThat(better.description()).isEqualTo("pku-saferlhf (label better)");
        assertThat(better.items()).extracting(PublishedLayoutsTest::labels)
                .containsExactly(List.of(1.0, 0.0), List.of(1.0, 0.0));
        assertThat(safer.items()).extracting(PublishedLayoutsTest::labels)
                .containsExactly(List.of(1.0, 0.0), List.of(0.0, 1.0));
        assertThat(safe.items()).extracting(PublishedLayoutsTest::labels)
                .containsExactly(List.of(1.0, 0.0), List.of(0.0, 1.0));
        assertThat(better.items().get(0).responses()).extracting(Response::model)
                .containsExactly("alpaca-7b", "alpaca-7b");
        assertThatThrownBy(() -> read("pku_saferlhf.jsonl", IngestOptions.defaults().withFields(null, null, null,
                "kindest", null, null))).hasMessageStartingWith("--label-field kindest: PKU-SafeRLHF rows are"
                + " labelled by better");
    }

    @Test
    void arenaCsvReadsOneHotWinnersTiesAndMultiTurnCells() throws Exception {
        Read r = read("arena.csv");

        assertThat(r.layout()).isEqualTo(Layout.ARENA);
        assertThat(r.items()).extracting(PublishedLayoutsTest::labels).containsExactly(
                List.of(1.0, 0.0), List.of(0.0, 1.0), List.of(0.5, 0.5), List.of(1.0, 0.0));
        Item first = r.items().get(0);
        assertThat(first.id()).isEqualTo("1");
        assertThat(first.prompt()).isEqualTo("What is 1+1?");
        assertThat(first.turns()).isEmpty();
        assertThat(first.responses()).containsExactly(new Response("2", NA, 1, "gpt-4"),
                new Response("3", NA, 0, "llama-2"));
        Item multi = r.items().get(3);
        assertThat(multi.prompt()).isEqualTo("Hi");
        assertThat(multi.turns()).containsExactly(Turn.user("Hi"));
        assertThat(texts(multi)).containsExactly("Assistant: Hello!\n\nUser: And in French?\n\nAssistant: Bonjour !",
                "Assistant: Hey\n\nUser: And in French?\n\nAssistant: ");
        assertThat(r.notes().byReason()).containsExactly(java.util.Map.entry("arena winner: model_a", 2L),
                java.util.Map.entry("arena winner: model_b", 1L), java.util.Map.entry("arena winner: tie", 1L));
    }

    @Test
    void arenaWinnerStringsCountBothBadTiesApart() throws Exception {
        Read r = read("arena_winner.jsonl");

        assertThat(r.items()).extracting(PublishedLayoutsTest::labels).containsExactly(
                List.of(1.0, 0.0), List.of(0.5, 0.5), List.of(0.5, 0.5));
        assertThat(r.items().get(0).id()).isEqualTo("q1");
        assertThat(r.notes().byReason()).containsEntry("arena winner: tie (bothbad)", 1L)
                .containsEntry("arena winner: tie", 1L).containsEntry("arena winner: model_a", 1L);
    }

    @Test
    void arenaConversationRowsSplitThePromptAtTheSharedMessages() throws Exception {
        Path file = jsonl(dir, "conv.jsonl", "{\"question_id\": \"c1\", \"model_a\": \"x\", \"model_b\": \"y\","
                + " \"winner\": \"model_b\", \"conversation_a\": [{\"role\": \"user\", \"content\": \"Hi\"},"
                + " {\"role\": \"assistant\", \"content\": \"Hello\"}], \"conversation_b\": [{\"role\": \"user\","
                + " \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hey there\"}], \"turn\": 1}");

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            Item item = reader.next();
            assertThat(reader.layout()).isEqualTo(Layout.ARENA);
            assertThat(item.id()).isEqualTo("c1");
            assertThat(item.prompt()).isEqualTo("Hi");
            assertThat(item.turns()).containsExactly(Turn.user("Hi"));
            assertThat(item.responses()).containsExactly(new Response("Hello", NA, 0, "x"),
                    new Response("Hey there", NA, 1, "y"));
            assertThat(reader.notes().byReason()).containsExactly(java.util.Map.entry("arena winner: model_b", 1L));
        }
    }

    @Test
    void arenaRowsWithoutAWinnerAreBadRowsCountedByReason() throws Exception {
        Path file = TestFiles.write(dir, "arena.csv", "model_a,model_b,prompt,response_a,response_b,"
                + "winner_model_a,winner_model_b,winner_tie\n"
                + "a,b,\"[\"\"q\"\"]\",\"[\"\"x\"\"]\",\"[\"\"y\"\"]\",0,0,0\n"
                + "a,b,\"[\"\"q2\"\"]\",\"[\"\"x\"\"]\",\"[\"\"y\"\"]\",1,0,1\n"
                + "a,b,\"[\"\"q3\"\"]\",\"[\"\"x\"\"]\",\"[\"\"y\"\"]\",0,0,1\n");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + " row 1: field 'winner_model_a': no winner: winner_model_a, winner_model_b and"
                        + " winner_tie are all 0 (or empty)");
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults().withSkipBadRows(true))) {
            assertThat(TestFiles.drain(reader)).hasSize(1);
            assertThat(reader.badRows().byReason()).containsOnlyKeys(
                    "winner_model_a: no winner: winner_model_a, winner_model_b and winner_tie are all 0 (or empty)",
                    "winner_model_a: more than one verdict: winner_model_a 1, winner_model_b 0, winner_tie 1");
            assertThat(reader.notes().byReason()).containsExactly(java.util.Map.entry("arena winner: tie", 1L));
        }
    }

    @Test
    void nectarRanksBecomeLabelsWithHigherBetter() throws Exception {
        Read r = read("nectar.jsonl");

        assertThat(r.layout()).isEqualTo(Layout.NECTAR);
        Item item = r.items().get(0);
        assertThat(item.prompt()).isEqualTo("\n\nHuman: Best pet?\n\nAssistant:");
        assertThat(item.responses()).containsExactly(new Response("A dog.", NA, 3, "gpt-4"),
                new Response("A rock.", NA, 1, "llama"), new Response("A cat.", NA, 2, "claude"));
    }

    @Test
    void helpSteerRowsGroupByPromptLabelledByTheChosenAttribute() throws Exception {
        Read helpful = read("helpsteer.jsonl");
        Read verbose = read("helpsteer.jsonl", IngestOptions.defaults().withFields(null, null, null, "verbosity",
                null, null));

        assertThat(helpful.layout()).isEqualTo(Layout.HELPSTEER);
        assertThat(helpful.items()).extracting(i -> i.responses().get(0).label()).containsExactly(3.0, 0.0, 2.0, 4.0);
        assertThat(verbose.items()).extracting(i -> i.responses().get(0).label()).containsExactly(1.0, 0.0, 1.0, 2.0);
        assertThat(helpful.items().get(0).id()).isEqualTo(helpful.items().get(1).id());
        try (var store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(),
                fixture("helpsteer.jsonl"))) {
            assertThat(store.itemCount()).isEqualTo(2);
            assertThat(store.responseCount()).isEqualTo(4);
        }
    }

    // ---- the scan ------------------------------------------------------------------------

    @Test
    void theFastScanLeavesEveryNewLayoutToTheFullIngest() throws Exception {
        for (String name : List.of("llamafactory_v1.jsonl", "trl_unpaired_standard.jsonl", "pku_saferlhf.jsonl",
                "arena_winner.jsonl", "nectar.jsonl", "helpsteer.jsonl")) {
            Path file = fixture(name);
            assertThat(ScoreScan.unsupportedReason(List.of(file), IngestOptions.defaults()))
                    .as(name).startsWith(file + " is in the ").contains("which the scan does not read");
        }
        assertThat(org.admap.internal.ingest.scan.ScoreScan.unsupportedReason(List.of(fixture("helpsteer.jsonl")),
                IngestOptions.defaults().withColumns(Columns.parse("prompt=question"))))
                .isEqualTo("ingest options other than the defaults");
    }

    // ---- bad input -------------------------------------------------------------------------

    @Test
    void aRowThatFitsNoLayoutNamesItsFieldsAndEveryLayoutTried() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"question\": \"q\", \"answer\": \"a\"}");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ": cannot recognise the layout from the first row's fields [question, answer];"
                        + " tried, in order: multi ('responses'), vlfeedback ('completions' + 'img_path' or 'image',"
                + " or Visual Faithfulness ratings), ultrafeedback ('completions'), nectar ('prompt' +"
                        + " 'answers' list), pku-saferlhf ('response_0' + 'response_1'), arena ('response_a' +"
                        + " 'response_b', or 'conversation_a' + 'conversation_b'), llamafactory-v1 " +
                                "('chosen_messages' + 'rejected_messages'), sharegpt"
                        + " ('conversations' + 'chosen' + 'rejected'), pairwise ('chosen' + 'rejected'), unpaired"
                        + " ('label' or 'kto_tag' + 'completion', 'output', 'conversations' or 'messages'), long"
                        + " ('instruction' + 'output_2' + 'preference' (AlpacaEval)), helpsteer ('prompt' +"
                        + " 'response' + 'helpfulness'), long ('prompt' + 'response'). Name the fields with --layout"
                        + " long --prompt-field F --response-field F, or rename columns with --columns"
                        + " prompt=F,chosen=F,... (or --dataset-info FILE --dataset NAME)");
    }

    @Test
    void v1PairsWhoseFirstMessagesDifferSayWhichRuleFailed() throws Exception {
        Path file = jsonl(dir, "v1.jsonl", "{\"chosen_messages\": [{\"role\": \"user\", \"content\": \"a\"},"
                + " {\"role\": \"assistant\", \"content\": \"b\"}], \"rejected_messages\": [{\"role\": \"user\","
                + " \"content\": \"c\"}, {\"role\": \"assistant\", \"content\": \"d\"}]}");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'chosen_messages': the prompt cannot be split from the responses: the"
                        + " rule (the messages chosen_messages and rejected_messages share from the start are the"
                        + " prompt) failed, as their first messages differ");
    }
}
