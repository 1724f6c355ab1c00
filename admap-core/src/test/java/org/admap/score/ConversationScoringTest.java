package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.RunStore;
import org.admap.model.TextHash;
import org.admap.score.reference.ReferenceScorer;
import org.admap.score.reward.RewardScorer;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scorers that send the prompt to a model send a conversation as the dialogue it is: the
 * judge sees every turn under its role, a vLLM reward model and the reference writer get
 * the turns as chat messages. A plain prompt, or one of a single user message, is sent and
 * cached exactly as before; a dialogue's cache key covers its turns.
 */
class ConversationScoringTest {

    private static final String[] ROWS = {
        "{\"id\": \"conv\", \"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"},"
                + " {\"role\": \"user\", \"content\": \"What is 2+2?\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"4\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"five\"}]}",
        "{\"id\": \"single\", \"prompt\": [{\"role\": \"user\", \"content\": \"Name a colour.\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Blue\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Seven\"}]}",
        "{\"id\": \"plain\", \"prompt\": \"Say hi.\", \"chosen\": \"hi\", \"rejected\": \"no\"}",
    };

    private static final String FLAT = "System: Be brief.\n\nUser: Hi\n\nAssistant: Hello.\n\nUser: What is 2+2?";

    @TempDir
    Path dir;
    StandInServer server;
    RunStore store;

    @BeforeEach
    void start() throws Exception {
        server = StandInServer.start();
        store = TestFiles.ingest(dir.resolve(RunStore.FILE_NAME), IngestOptions.defaults(),
                TestFiles.jsonl(dir, "conv.jsonl", ROWS));
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private ScoringReport score(Scorer scorer, String source) throws Exception {
        return new ScoringJob(store, scorer, source, ScoringFixtures.options(1), Progress.Factory.NONE).run();
    }

    private ApiClient client() {
        return ScoringFixtures.client(server.baseUrl(), null, Duration.ofSeconds(5));
    }

    /** The user message of each judge request, by the response it rates. */
    private Map<String, String> judgePrompts() {
        Map<String, String> byResponse = new LinkedHashMap<>();
        for (JsonNode body : server.chatBodies()) {
            String user = body.path("messages").path(1).path("content").asText();
            int at = user.indexOf("[Response]\n");
            byResponse.put(user.substring(at + 11, user.indexOf("\n\nAnswer with", at)), user);
        }
        return byResponse;
    }

    @Test
    void theJudgeSeesTheConversationWithItsRolesAndPlainPromptsAsBefore() throws Exception {
        ScoringReport report = score(ScoringFixtures.judge(client(), false, false), "judge");

        assertThat(report.failed()).isZero();
        assertThat(report.scored()).isEqualTo(6);
        Map<String, String> prompts = judgePrompts();
        String conv = prompts.get("4");
        assertThat(conv).contains("[Conversation]\n[System]\nBe brief.\n\n[User]\nHi\n\n[Assistant]\nHello.\n\n"
                + "[User]\nWhat is 2+2?\n[End of conversation]\n\n[Response]\n4")
                .contains("to the conversation below, as the assistant's next turn,")
                .doesNotContain("[Instruction]").doesNotContain(FLAT);
        assertThat(server.chatBodies().get(0).path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(server.chatBodies().get(0).path("messages").path(0).path("content").asText())
                .isEqualTo(org.admap.score.judge.Rubric.admap().system());
        // One user message and a plain text: the rubric exactly as for plain prompts.
        assertThat(prompts.get("Blue")).contains("[Instruction]\nName a colour.\n\n[Response]\nBlue")
                .contains("Rate the response to the instruction below");
        assertThat(prompts.get("hi")).contains("[Instruction]\nSay hi.\n\n[Response]\nhi");

        Scorer judge = ScoringFixtures.judge(client(), false, false);
        org.admap.internal.store.ScoreState state = store.loadScoreState("judge", judge.config().fingerprint());
        assertThat(state.cached(TextHash.of("Say hi."), TextHash.of("hi"), 0)).as("a plain prompt keeps its cache key")
                .isNotNull();
        assertThat(state.cached(TextHash.of("Name a colour."), TextHash.of("Blue"), 0)).isNotNull();
        assertThat(state.cached(TextHash.of(FLAT), TextHash.of("4"), 0)).as("a dialogue's key covers its turns")
                .isNull();
        List<org.admap.model.Turn> turns = new ArrayList<>();
        store.forEachItem(RunStore.LABELS, null, k -> {
            if (k.item().id().equals("conv")) {
                turns.addAll(k.item().turns());
            }
        });
        assertThat(state.cached(ScoreTask.promptHash(FLAT, turns, null, false), TextHash.of("4"), 0)).isNotNull();

        int before = server.requests();
        ScoringReport again = score(ScoringFixtures.judge(client(), false, false), "judge");
        assertThat(server.requests()).as("a rerun sends nothing").isEqualTo(before);
        assertThat(again.alreadyScored()).isEqualTo(6);
    }

    @Test
    void theBatchApiSendsTheSameConversationAndStoresItUnderTheSameCacheKey() throws Exception {
        server.batchPollsUntilDone(1);
        org.admap.score.judge.JudgeScorer judge = ScoringFixtures.judge(client(), false, false);
        org.admap.score.batch.BatchScoring.Options options = org.admap.score.batch.BatchScoring.Options.defaults()
                .withPollInterval(Duration.ofMillis(5));
        new org.admap.score.batch.BatchScoring(store, judge, client(), "judge", options.withWaitForResults(false),
                Progress.Factory.NONE).run();
        List<String> users = new ArrayList<>();
        try (var files = java.nio.file.Files.list(dir.resolve("batches"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".requests.jsonl")).toList()) {
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    users.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("body")
                            .path("messages").path(1).path("content").asText());
                }
            }
        }
        assertThat(users).hasSize(6).anySatisfy(u -> assertThat(u).contains("[Conversation]\n[System]\nBe brief.")
                .contains("[Response]\n4"));
        org.admap.score.batch.BatchReport report = new org.admap.score.batch.BatchScoring(store, judge, client(),
                "judge", options, Progress.Factory.NONE).run(); // resumes the batch and imports its answers
        assertThat(report.failed()).isZero();
        assertThat(report.scored()).isEqualTo(6);
        List<org.admap.model.Turn> turns = new ArrayList<>();
        store.forEachItem(RunStore.LABELS, null, k -> {
            if (k.item().id().equals("conv")) {
                turns.addAll(k.item().turns());
            }
        });
        org.admap.internal.store.ScoreState state = store.loadScoreState("judge", judge.config().fingerprint());
        assertThat(state.cached(ScoreTask.promptHash(FLAT, turns, null, false), TextHash.of("4"), 0))
                .as("the answer is read back under the key the live judge uses").isNotNull();
        assertThat(state.cached(TextHash.of("Say hi."), TextHash.of("hi"), 0)).isNotNull();
    }

    @Test
    void allResponsesInOneCallAreRatedAsTheConversationsNextTurn() throws Exception {
        ScoringReport report = score(ScoringFixtures.judge(client(), true, false), "judge");

        assertThat(report.failed()).isZero();
        String conv = server.chatBodies().stream().map(b -> b.path("messages").path(1).path("content").asText())
                .filter(u -> u.contains("[Conversation]")).findFirst().orElseThrow();
        assertThat(conv).contains("Rate each response to the conversation below, as the assistant's next turn,")
                .contains("[User]\nWhat is 2+2?\n[End of conversation]\n\n[Response 1]\n");
        assertThat(server.chatBodies()).hasSize(3);
    }

    @Test
    void aVllmRewardModelGetsTheTurnsAsChatMessagesFollowedByTheResponse() throws Exception {
        ApiClient client = ScoringFixtures.client(RewardScorer.serverRoot(URI.create(server.baseUrl())).toString(),
                null, Duration.ofSeconds(5));
        ScoringReport report = score(new RewardScorer(client,
                new RewardScorer.RewardSettings("rm", RewardScorer.Api.VLLM, null, Pricing.UNKNOWN)), "reward");

        assertThat(report.failed()).isZero();
        List<String> conv = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (JsonNode body : server.poolingBodies()) {
            List<String> messages = new ArrayList<>();
            body.path("messages").forEach(m -> messages.add(m.path("role").asText() + ":"
                    + m.path("content").asText()));
            if (messages.get(messages.size() - 1).equals("assistant:4")) {
                conv = messages;
            } else if (messages.get(messages.size() - 1).equals("assistant:hi")) {
                plain = messages;
            }
        }
        assertThat(conv).containsExactly("system:Be brief.", "user:Hi", "assistant:Hello.", "user:What is 2+2?",
                "assistant:4");
        assertThat(plain).containsExactly("user:Say hi.", "assistant:hi");
    }

    @Test
    void theReferenceWriterAnswersTheConversationAsItsNextTurn() throws Exception {
        ApiClient client = client();
        ReferenceScorer scorer = new ReferenceScorer(new ReferenceScorer.ReferenceSettings(
                ReferenceScorer.Similarity.ROUGE_L, ReferenceScorer.DEFAULT_WRITER,
                Pricing.forModel(ReferenceScorer.DEFAULT_WRITER), ReferenceScorer.DEFAULT_MAX_TOKENS, 0, false),
                client, null, store);
        ScoringReport report = score(scorer, "reference");

        assertThat(report.failed()).isZero();
        JsonNode conv = server.chatBodies().stream()
                .filter(b -> b.path("messages").size() > 2).findFirst().orElseThrow().path("messages");
        assertThat(conv.get(0).path("role").asText()).isEqualTo("system");
        assertThat(conv.get(0).path("content").asText()).isEqualTo(ReferenceScorer.SYSTEM_PROMPT + "\n\nBe brief.");
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < conv.size(); i++) {
            rest.add(conv.get(i).path("role").asText() + ":" + conv.get(i).path("content").asText());
        }
        assertThat(rest).containsExactly("user:Hi", "assistant:Hello.", "user:What is 2+2?");
        assertThat(server.chatBodies()).filteredOn(b -> b.path("messages").size() == 2)
                .extracting(b -> b.path("messages").path(1).path("content").asText())
                .containsExactlyInAnyOrder("Name a colour.", "Say hi.");
    }
}
