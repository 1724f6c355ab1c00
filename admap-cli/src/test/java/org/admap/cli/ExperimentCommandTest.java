package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap experiment} end to end: the demo mapped, the study written, its files checked. */
class ExperimentCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SETS = List.of("full", "high-avg", "low-avg", "high-var", "random");

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void mapTheDemo() {
        run = Cli.mapDemo(tmp.resolve("run"));
    }

    private static Set<String> files(Path dir) throws Exception {
        Set<String> names = new HashSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(f -> names.add(dir.relativize(f).toString()));
        }
        return names;
    }

    /** A pair as text, whatever the format. */
    private record Triple(String prompt, String chosen, String rejected) {
    }

    private static List<Triple> alpacaTriples(Path file) throws Exception {
        List<Triple> out = new ArrayList<>();
        for (JsonNode row : JSON.readTree(file.toFile())) {
            String prompt = row.get("instruction").asText()
                    + (row.get("input").asText().isEmpty() ? "" : "\n\n" + row.get("input").asText());
            out.add(new Triple(prompt, row.get("chosen").asText(), row.get("rejected").asText()));
        }
        return out;
    }

    @Test
    void writesTheFiveSetsWithTheirConfigsAndReadme() throws Exception {
        Path study = tmp.resolve("study");

        Cli.Result r = Cli.run("experiment", run.toString(), "--out", study.toString(), "--loss", "dpo", "--loss",
                "simpo", "--base-model", "princeton-nlp/Llama-3-Base-8B-SFT", "--base-model",
                "alignment-handbook/zephyr-7b-sft-full");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("high-avg       17 instructions        68 pairs")
                .contains("wrote 20 training configs (2 base models x 2 losses)");
        Set<String> files = files(study);
        for (String set : SETS) {
            assertThat(files).contains("data/" + set + ".json", "data/" + set + ".json.provenance.json");
            for (String prefix : List.of("llama-3-base-8b-sft-dpo", "llama-3-base-8b-sft-simpo",
                    "zephyr-7b-sft-full-dpo", "zephyr-7b-sft-full-simpo")) {
                assertThat(files).contains("llamafactory/" + prefix + "-" + set + ".yaml",
                        "llamafactory/" + prefix + "-" + set + ".merge.yaml", "trl/" + prefix + "-" + set + ".yaml");
            }
        }
        assertThat(files).contains("README.md", "experiment.json", "data/dataset_info.json", "trl/train_trl.py");

        // every set registered for LLaMA-Factory as sharegpt preference data
        JsonNode info = JSON.readTree(study.resolve("data/dataset_info.json").toFile());
        for (String set : SETS) {
            assertThat(info.at("/" + set + "/file_name").asText()).isEqualTo(set + ".json");
            assertThat(info.at("/" + set + "/formatting").asText()).isEqualTo("sharegpt");
            assertThat(info.at("/" + set + "/ranking").asBoolean()).isTrue();
        }
        // sizes: full is every instruction, random the size of high-avg, every pair has its instruction's id
        JsonNode prov = JSON.readTree(study.resolve("experiment.json").toFile());
        assertThat(prov.at("/sets/full/instructions").asInt()).isEqualTo(50);
        assertThat(prov.at("/sets/random/instructions").asInt()).isEqualTo(prov.at("/sets/high-avg/instructions")
                .asInt()).isEqualTo(17);
        assertThat(prov.at("/sets/high-avg/instructions").asInt() + prov.at("/sets/low-avg/instructions").asInt()
                + prov.at("/sets/high-var/instructions").asInt()).isLessThanOrEqualTo(50);
        JsonNode highAvg = JSON.readTree(study.resolve("data/high-avg.json").toFile());
        assertThat(highAvg).hasSize(prov.at("/sets/high-avg/pairs").asInt());
        assertThat(highAvg).allSatisfy(row -> assertThat(row.get("id").asText()).startsWith("demo-"));
        assertThat(highAvg.get(0).at("/conversations/0/from").asText()).isEqualTo("human");

        // the configs point at what was written
        String yaml = Files.readString(study.resolve("llamafactory/llama-3-base-8b-sft-dpo-high-avg.yaml"));
        assertThat(yaml).contains("dataset: \"high-avg\"\n", "dataset_dir: \"data\"\n", "pref_beta: 0.01\n",
                "pref_loss: \"sigmoid\"\n", "learning_rate: 5.0e-06\n", "template: \"llama3\"\n");
        assertThat(Files.readString(study.resolve("llamafactory/zephyr-7b-sft-full-simpo-random.yaml")))
                .contains("simpo_gamma: 2.5\n", "pref_beta: 2.0\n", "learning_rate: 3.0e-07\n",
                        "template: \"zephyr\"\n");
        assertThat(Files.readString(study.resolve("trl/llama-3-base-8b-sft-dpo-low-avg.yaml")))
                .contains("data_file: \"data/low-avg.json\"\n", "beta: 0.01\n");
        String readme = Files.readString(study.resolve("README.md"));
        assertThat(readme).contains("llamafactory-cli train llamafactory/llama-3-base-8b-sft-dpo-$set.yaml",
                "gen_model_answer.py", "gen_judgment.py", "alpaca_eval", "| high-avg | 17 | 68 |");
    }

    @Test
    void anAlpacaStudyMapsBackToTheSamePairs() throws Exception {
        Path study = tmp.resolve("alpaca-study");
        Cli.Result r = Cli.run("experiment", run.toString(), "--out", study.toString(), "--format", "llama-factory");
        assertThat(r.exit()).as(r.toString()).isZero();
        Path export = study.resolve("data/high-avg.json");

        // admap map EXPORT, then every pair of the new run: the same pairs, in the same order
        Path again = tmp.resolve("alpaca-again");
        Cli.Result m = Cli.run("map", export.toString(), "--out", again.toString(), "-q");
        assertThat(m.exit()).as(m.toString()).isZero();
        Path back = tmp.resolve("alpaca-back.json");
        Cli.Result s = Cli.run("select", again.toString(), "--region", "all", "--format", "llama-factory", "--out",
                back.toString());
        assertThat(s.exit()).as(s.toString()).isZero();

        assertThat(new HashSet<>(alpacaTriples(back))).isEqualTo(new HashSet<>(alpacaTriples(export)));
        assertThat(alpacaTriples(back)).hasSameSizeAs(alpacaTriples(export));
    }

    @Test
    void aNonEmptyFolderNeedsForce() throws Exception {
        Path study = tmp.resolve("busy");
        Files.createDirectories(study);
        Files.writeString(study.resolve("notes.txt"), "mine");

        Cli.Result r = Cli.run("experiment", run.toString(), "--out", study.toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(study + " is not empty; use --force");
        assertThat(files(study)).containsExactly("notes.txt");
    }

    @Test
    void anUnreadableFormatIsRefusedBeforeAnythingIsWritten() {
        Path study = tmp.resolve("kto-study");

        Cli.Result r = Cli.run("experiment", run.toString(), "--out", study.toString(), "--format", "kto");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("sharegpt or llama-factory");
        assertThat(study).doesNotExist();
    }
}
