package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.internal.store.RunStore;
import org.admap.testing.StandIn;
import org.admap.testing.StandInServer;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap score} with a reward model and with references, end to end, then the map on those scores. */
class RewardAndReferenceCommandTest {

    /** An environment variable no machine sets: runs here never have a key unless a test says so. */
    private static final String NO_KEY = "ADMAP_TEST_NO_SUCH_KEY_VARIABLE";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    @StandIn
    StandInServer server;
    Path run;

    @BeforeEach
    void start() throws Exception {
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    private long mapRows() throws Exception {
        try (Reader r = Files.newBufferedReader(run.resolve("map.csv"))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords().size();
        }
    }

    @Test
    void aRewardModelScoresEveryResponseAndTheMapIsRebuiltOnItsScores() throws Exception {
        // the OpenAI-style base URL: its /v1 is dropped, vLLM's /pooling is at the root
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "reward", "--base-url", server.baseUrl(),
                "--model", "Skywork/Skywork-Reward-Llama-3.1-8B", "--api-key-env", NO_KEY, "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("reward: scored 200, failed 0").contains("next: admap map " + run
                + " --scores reward");
        assertThat(server.requests("/pooling")).isEqualTo(200);

        Cli.Result tei = Cli.run("score", run.toString(), "--scorer", "reward", "--reward-api", "tei", "--name",
                "reward-tei", "--base-url", server.root(), "--model", "rm", "--api-key-env", NO_KEY, "-q");
        assertThat(tei.exit()).as(tei.toString()).isZero();
        assertThat(server.requests("/predict")).isEqualTo(200);

        Cli.Result map = Cli.run("map", run.toString(), "--scores", "reward");
        assertThat(map.exit()).as(map.toString()).isZero();
        assertThat(map.out()).contains("map on scores 'reward'");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.toString()).contains("reward");
        assertThat(mapRows()).isEqualTo(50);
    }

    @Test
    void referencesFromTheDataAreScoredByCosineWithoutAChatCallAndByRougeLWithoutAnyServer() throws Exception {
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "reference", "--base-url", server.baseUrl(),
                "--embedding", "api", "--api-key-env", NO_KEY, "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("reference: scored 200, failed 0");
        assertThat(server.requests("/v1/chat/completions")).isZero();
        assertThat(server.requests("/v1/embeddings")).isEqualTo(50);

        // The default base URL is OpenAI's, and there is no key: ROUGE-L against the data's references needs neither.
        int before = server.requests();
        Cli.Result rouge = Cli.run("score", run.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--name", "rouge", "--api-key-env", NO_KEY, "-q");
        assertThat(rouge.exit()).as(rouge.toString()).isZero();
        assertThat(rouge.out()).contains("rouge: scored 200, failed 0");
        assertThat(server.requests()).isEqualTo(before);

        Cli.Result map = Cli.run("map", run.toString(), "--scores", "reference", "-q");
        assertThat(map.exit()).as(map.toString()).isZero();
        assertThat(mapRows()).isEqualTo(50);
        Cli.Result mapRouge = Cli.run("map", run.toString(), "--scores", "rouge");
        assertThat(mapRouge.exit()).as(mapRouge.toString()).isZero();
        assertThat(mapRouge.out()).contains("map on scores 'rouge'");
    }

    @Test
    void theDefaultEmbeddingModelRunsInThisProcessWithNoKeyAndNoServer() throws Exception {
        server.close();
        Cli.Result r = Cli.run("score", run.toString(), "--scorer", "reference", "--name", "local", "--api-key-env",
                NO_KEY, "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("local: scored 200, failed 0");
        try (RunStore store = RunStore.open(run.resolve("run.duckdb"))) {
            org.admap.internal.store.ScoreSourceInfo info = store.scoreSource("local").orElseThrow();
            assertThat(info.model()).isEqualTo("all-minilm-l6-v2");
            assertThat(info.endpoint()).isEqualTo("in-process");
            assertThat(info.parameters()).contains("long_texts=truncated at 256 word pieces");
        }
        assertThat(Cli.run("score", run.toString(), "--scorer", "reference", "--embedding", "remote").err())
                .contains("--embedding must be local, local:NAME or api");
    }

    @Test
    void referencesComeFromAFieldOfTheDataOrFromASeparateFile() throws Exception {
        Path data = tmp.resolve("with-gold.jsonl");
        java.nio.file.Files.write(data, List.of(
                "{\"id\": \"g1\", \"prompt\": \"Capital of France?\", \"gold\": [\"Paris is the capital.\", \"Paris\"],"
                        + " \"responses\": [\"Paris is the capital.\", \"Lyon\"]}",
                "{\"id\": \"g2\", \"prompt\": \"Two plus two?\", \"gold\": \"Four.\","
                        + " \"responses\": [\"Four.\", \"Five, probably.\"]}"));
        Path fromField = tmp.resolve("field");
        assertThat(Cli.run("map", data.toString(), "--out", fromField.toString(), "--reference-field", "gold", "-q")
                .exit()).isZero();
        Cli.Result scored = Cli.run("score", fromField.toString(), "--scorer", "reference", "--similarity",
                "rouge-l", "--api-key-env", NO_KEY, "-q");
        assertThat(scored.exit()).as(scored.toString()).isZero();
        try (RunStore store = RunStore.open(fromField.resolve("run.duckdb"))) {
            List<Double> first = new java.util.ArrayList<>();
            store.forEachItem("reference", null, ki -> first.add(ki.item().responses().get(0).score()));
            assertThat(first).containsExactly(1.0, 1.0); // the first gold answer of the list, and the string
        }

        Path noGold = tmp.resolve("nogold");
        assertThat(Cli.run("map", data.toString(), "--out", noGold.toString(), "-q").exit()).isZero();
        Path refs = tmp.resolve("refs.csv");
        java.nio.file.Files.write(refs, List.of("id,reference", "g1,Lyon", "nobody,x"));
        Cli.Result fromFile = Cli.run("score", noGold.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--references", refs.toString(), "--api-key-env", NO_KEY, "-q");
        assertThat(fromFile.exit()).as(fromFile.toString()).isEqualTo(2); // g2 has no reference and no writer
        assertThat(fromFile.out()).contains("references from " + refs + ": 1 instructions (1 rows matched no"
                + " instruction)");
        java.nio.file.Files.write(refs, List.of("prompt,reference", "Capital of France?,Lyon", "Two plus two?,Four."));
        Cli.Result byPrompt = Cli.run("score", noGold.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--references", refs.toString(), "--api-key-env", NO_KEY, "-q");
        assertThat(byPrompt.exit()).as(byPrompt.toString()).isZero();
        try (RunStore store = RunStore.open(noGold.resolve("run.duckdb"))) {
            List<Double> second = new java.util.ArrayList<>();
            store.forEachItem("reference", null, ki -> second.add(ki.item().responses().get(1).score()));
            assertThat(second.get(0)).isEqualTo(1.0); // "Lyon" against the file's "Lyon"
        }
    }

    @Test
    void aSeparateEmbeddingServerIsUsedForEmbeddingsOnly() throws Exception {
        StandInServer embeddings = StandInServer.start();
        try {
            Cli.Result r = Cli.run("score", run.toString(), "--scorer", "reference", "--base-url", server.baseUrl(),
                    "--embedding-url", embeddings.baseUrl(), "--embedding-model", "BAAI/bge-small-en-v1.5",
                    "--api-key-env", NO_KEY, "-q");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(embeddings.requests("/v1/embeddings")).isEqualTo(50);
            assertThat(server.requests()).isZero();
        } finally {
            embeddings.close();
        }
    }

    @Test
    void instructionsWithoutAReferenceHaveOneWrittenOrSayWhatIsMissing() throws Exception {
        Path data = tmp.resolve("plain.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Name a prime.\", \"responses\": [{\"text\": \"7\", \"label\": 1},"
                        + " {\"text\": \"Nine.\", \"label\": 0}]}",
                "{\"prompt\": \"Name a colour.\", \"responses\": [{\"text\": \"Red\", \"label\": 1},"
                        + " {\"text\": \"A dog.\", \"label\": 0}]}",
                "{\"prompt\": \"Name a prime.\", \"responses\": [{\"text\": \"2 is prime.\", \"label\": 1},"
                        + " {\"text\": \"4\", \"label\": 0}]}"));
        Path plain = tmp.resolve("plain");
        Cli.Result mapped = Cli.run("map", data.toString(), "--out", plain.toString(), "-q");
        assertThat(mapped.exit()).as(mapped.toString()).isZero();

        Cli.Result noKey = Cli.run("score", plain.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--api-key-env", NO_KEY, "-q");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err().strip()).hasLineCount(1).contains("3 instructions have no reference answer")
                .contains(NO_KEY).contains("gpt-4o-2024-11-20");

        Cli.Result written = Cli.run("score", plain.toString(), "--scorer", "reference", "--similarity", "rouge-l",
                "--base-url", server.baseUrl(), "--api-key-env", NO_KEY, "-q");
        assertThat(written.exit()).as(written.toString()).isZero();
        assertThat(written.out()).contains("scored 6, failed 0");
        assertThat(server.requests("/v1/chat/completions")).isEqualTo(2); // one per distinct instruction text
    }

    @Test
    void anEmbeddingServerWithoutABaseUrlNeverSendsTheReferencesToTheDefaultServer() throws Exception {
        Path data = tmp.resolve("plain.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Name a prime.\", \"responses\": [{\"text\": \"7\", \"label\": 1},"
                        + " {\"text\": \"Nine.\", \"label\": 0}]}",
                "{\"prompt\": \"Name a colour.\", \"responses\": [{\"text\": \"Red\", \"label\": 1},"
                        + " {\"text\": \"A dog.\", \"label\": 0}]}"));
        Path plain = tmp.resolve("plain");
        assertThat(Cli.run("map", data.toString(), "--out", plain.toString(), "-q").exit()).isZero();
        StandInServer embeddings = StandInServer.start();
        try {
            // A key is set (PATH always is): before, the missing references went to api.openai.com with it.
            Cli.Result implicit = Cli.run("score", plain.toString(), "--scorer", "reference", "--embedding-url",
                    embeddings.baseUrl(), "--api-key-env", "PATH", "-q");
            assertThat(implicit.exit()).as(implicit.toString()).isEqualTo(2);
            assertThat(implicit.err().strip()).hasLineCount(1).contains("2 instructions have no reference answer")
                    .contains("--embedding-url points at " + embeddings.baseUrl()).contains("add --base-url URL")
                    .contains("--reference-model MODEL");
            assertThat(embeddings.requests()).isZero();

            // Choosing the writer on purpose is allowed, and every endpoint is printed before any call.
            Cli.Result chosen = Cli.run("score", plain.toString(), "--scorer", "reference", "--embedding-url",
                    embeddings.baseUrl(), "--reference-model", "gpt-4o-mini", "--api-key-env", "PATH", "--dry-run");
            assertThat(chosen.exit()).as(chosen.toString()).isZero();
            assertThat(chosen.out()).contains("endpoint reference writer: gpt-4o-mini at https://api.openai.com:443/v1")
                    .contains("endpoint embedding: "
                            + org.admap.score.reference.ReferenceScorer.DEFAULT_EMBEDDING_MODEL + " at "
                            + embeddings.baseUrl());

            // With --base-url every call goes to the servers named, and each is announced.
            Cli.Result named = Cli.run("score", plain.toString(), "--scorer", "reference", "--base-url",
                    server.baseUrl(), "--embedding-url", embeddings.baseUrl(), "--api-key-env", NO_KEY, "-q");
            assertThat(named.exit()).as(named.toString()).isZero();
            assertThat(named.out()).contains("endpoint reference writer: gpt-4o-2024-11-20 at " + server.baseUrl())
                    .contains("endpoint embedding: ")
                    .containsSubsequence("endpoint reference writer", "reference: scored 4, failed 0");
            assertThat(server.requests("/v1/chat/completions")).isEqualTo(2);
            assertThat(server.requests()).isEqualTo(2);
            assertThat(embeddings.requests("/v1/embeddings")).isPositive().isEqualTo(embeddings.requests());
        } finally {
            embeddings.close();
        }
    }

    @Test
    void theHelpDescribesTheNewOptions() {
        Cli.Result r = Cli.run("score", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--reward-api", "--reward-label", "--reference-model", "--similarity",
                "--embedding-model", "--embedding-url", "--embedding-price", "a trailing /v1 is dropped");
    }

    @Test
    void whatTheRewardScorerCannotDoWithoutIsSaidInOneLine() {
        Cli.Result noModel = Cli.run("score", run.toString(), "--scorer", "reward", "--base-url", server.root(), "-q");
        assertThat(noModel.exit()).isEqualTo(2);
        assertThat(noModel.err()).contains("needs --model");

        Cli.Result noServer = Cli.run("score", run.toString(), "--scorer", "reward", "--model", "rm", "-q");
        assertThat(noServer.exit()).isEqualTo(2);
        assertThat(noServer.err()).contains("needs --base-url");

        Cli.Result badApi = Cli.run("score", run.toString(), "--scorer", "reward", "--model", "rm", "--base-url",
                server.root(), "--reward-api", "tgi", "-q");
        assertThat(badApi.exit()).isEqualTo(2);
        assertThat(badApi.err()).contains("--reward-api must be vllm or tei");

        Cli.Result badSimilarity = Cli.run("score", run.toString(), "--scorer", "reference", "--similarity", "bleu",
                "--api-key-env", NO_KEY, "-q");
        assertThat(badSimilarity.exit()).isEqualTo(2);
        assertThat(badSimilarity.err()).contains("--similarity must be cosine or rouge-l");
    }
}
