package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --score-field NAME=FIELD} (several score sources from one file, used by
 * {@code map --scores}, {@code compare --scores} and {@code diagnose --scorers}),
 * {@code --group-by-prompt} and the merging of repeated rows, from the command line.
 */
class ScoreSourcesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Three instructions, three responses each, a label and two judges' scores per response row. */
    private Path judges() throws Exception {
        StringBuilder sb = new StringBuilder();
        double[][] a = {{9, 5, 1}, {6, 5, 4}, {2, 8, 3}};
        double[][] b = {{8, 6, 2}, {3, 5, 7}, {1, 9, 4}};
        double[][] human = {{3, 2, 1}, {3, 2, 1}, {1, 3, 2}};
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < 3; r++) {
                sb.append(String.format(java.util.Locale.ROOT,
                        "{\"q\": \"question %d\", \"answer\": \"answer %d of %d\", \"human\": %s, \"ja\": %s,"
                        + " \"jb\": %s}%n", i, r, i, human[i][r], a[i][r], b[i][r]));
            }
        }
        Path file = tmp.resolve("judges.jsonl");
        Files.writeString(file, sb.toString());
        return file;
    }

    private static JsonNode json(Path file) throws Exception {
        return JSON.readTree(file.toFile());
    }

    @Test
    void namedScoreFieldsAreSourcesThatMapCompareAndDiagnoseUse() throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result map = Cli.run("map", judges().toString(), "--layout", "long", "--prompt-field", "q",
                "--response-field", "answer", "--label-field", "human", "--score-field", "judge-a=ja",
                "--score-field", "judge-b=jb", "--out", run.toString(), "-q");
        assertThat(map.exit()).as(map.toString()).isZero();
        JsonNode summary = json(run.resolve("summary.json"));
        assertThat(summary.at("/map/scores").asText()).as("the first named source, the data having no other")
                .isEqualTo("judge-a");
        assertThat(summary.at("/run/grouping/score_sources/judge-a").asInt()).isEqualTo(9);
        assertThat(summary.at("/run/grouping/score_sources/judge-b").asInt()).isEqualTo(9);
        String onA = Files.readString(run.resolve("map.csv"));

        Cli.Result onB = Cli.run("map", run.toString(), "--scores", "judge-b", "-q");
        assertThat(onB.exit()).as(onB.toString()).isZero();
        assertThat(json(run.resolve("summary.json")).at("/map/scores").asText()).isEqualTo("judge-b");
        assertThat(Files.readString(run.resolve("map.csv"))).isNotEqualTo(onA);

        Cli.Result compare = Cli.run("compare", run.toString(), "--scores", "judge-a,judge-b");
        assertThat(compare.exit()).as(compare.toString()).isZero();
        JsonNode c = json(run.resolve("compare.json")).get("comparisons").get(0);
        assertThat(c.get("a").asText()).endsWith("(judge-a)");
        assertThat(c.get("b").asText()).endsWith("(judge-b)");
        assertThat(c.get("joined").asInt()).isEqualTo(3);

        Cli.Result diagnose = Cli.run("diagnose", run.toString(), "--scorers", "judge-a,judge-b");
        assertThat(diagnose.exit()).as(diagnose.toString()).isZero();
        assertThat(diagnose.out()).contains("judge-a, judge-b");
    }

    @Test
    void namedSourcesTakeTheFullIngestWhereTheScanWouldReadTheFileAndMapTheSame() throws Exception {
        Path data = tmp.resolve("multi.jsonl");
        Files.writeString(data, "{\"id\": \"q1\", \"prompt\": \"P1\", \"responses\": [{\"text\": \"a\", \"score\": 1,"
                + " \"judge\": 4}, {\"text\": \"b\", \"score\": 3, \"judge\": 2}]}\n"
                + "{\"id\": \"q2\", \"prompt\": \"P2\", \"responses\": [{\"text\": \"c\", \"score\": 2, \"judge\": 2},"
                + " {\"text\": \"d\", \"score\": 6, \"judge\": 9}]}\n");
        Path scanned = tmp.resolve("scanned");
        assertThat(Cli.run("map", data.toString(), "--out", scanned.toString(), "-q").exit()).isZero();
        assertThat(scanned.resolve("store.pending.json")).as("the scan took the plain file").isRegularFile();

        Path named = tmp.resolve("named");
        Cli.Result r = Cli.run("map", data.toString(), "--score-field", "judge=judge", "--out", named.toString(),
                "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(named.resolve("store.pending.json")).doesNotExist();
        assertThat(named.resolve("run.duckdb")).isRegularFile();
        assertThat(json(named.resolve("summary.json")).at("/map/scores").asText()).isEqualTo("input");
        assertThat(Files.mismatch(named.resolve("map.csv"), scanned.resolve("map.csv"))).isEqualTo(-1);
        try (var entries = Files.list(named)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .as("nothing the scan began is left").allSatisfy(n -> assertThat(n).doesNotStartWith(".run-"));
        }

        Cli.Result onJudge = Cli.run("map", named.toString(), "--scores", "judge", "-q");
        assertThat(onJudge.exit()).as(onJudge.toString()).isZero();
        assertThat(Files.readString(named.resolve("map.csv"))).contains("q2,P2,2,5.5,12.25,3.5,");
    }

    @Test
    void badScoreFieldsAreRefusedWithAMessage() throws Exception {
        String data = judges().toString();
        Cli.Result builtIn = Cli.run("map", data, "--layout", "long", "--prompt-field", "q", "--response-field",
                "answer", "--score-field", "labels=ja", "--out", tmp.resolve("a").toString(), "-q");
        assertThat(builtIn.exit()).isEqualTo(2);
        assertThat(builtIn.err()).contains("'labels' is a built-in score source");

        Cli.Result twice = Cli.run("map", data, "--layout", "long", "--prompt-field", "q", "--response-field",
                "answer", "--score-field", "ja", "--score-field", "jb", "--out", tmp.resolve("b").toString(), "-q");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("names the input source's field twice");

        Cli.Result missing = Cli.run("map", data, "--layout", "long", "--prompt-field", "q", "--response-field",
                "answer", "--score-field", "ja", "--score-field", "other=jc", "--out", tmp.resolve("c").toString(),
                "-q");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--score-field other=jc: no response has a score in field 'jc'");
        assertThat(tmp.resolve("c")).doesNotExist();

        Cli.Result rule = Cli.run("map", data, "--group-by-prompt", "--pair-labels", "elo", "--out",
                tmp.resolve("d").toString(), "-q");
        assertThat(rule.exit()).isEqualTo(2);
        assertThat(rule.err()).contains("unknown pair-label rule 'elo'");
    }

    @Test
    void groupByPromptMakesOneInstructionPerPromptAndSaysSoInTheSummary() throws Exception {
        Path pairs = tmp.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"prompt\": \"P\", \"chosen\": \"a\", \"rejected\": \"b\", \"score_chosen\": 8,"
                + " \"score_rejected\": 5}\n"
                + "{\"prompt\": \"P\", \"chosen\": \"a\", \"rejected\": \"c\", \"score_chosen\": 8, " +
                        "\"score_rejected\": 2}\n"
                + "{\"prompt\": \"P\", \"chosen\": \"b\", \"rejected\": \"c\", \"score_chosen\": 5, " +
                        "\"score_rejected\": 2}\n"
                + "{\"prompt\": \"Q\", \"chosen\": \"x\", \"rejected\": \"y\", \"score_chosen\": 3, " +
                        "\"score_rejected\": 1}\n");
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", pairs.toString(), "--group-by-prompt", "--pair-labels", "bradley-terry",
                "--out", run.toString(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode s = json(run.resolve("summary.json"));
        assertThat(s.at("/run/items").asInt()).isEqualTo(2);
        assertThat(s.at("/run/responses").asInt()).isEqualTo(5);
        assertThat(s.at("/run/grouping/merged_rows").asInt()).isEqualTo(3);
        assertThat(s.at("/run/grouping/pair_labels").asText()).isEqualTo("bradley-terry");
        assertThat(s.at("/map/scores").asText()).isEqualTo("input");
        // P's scores are 8, 5, 2: mean 5, population variance 6
        assertThat(Files.readString(run.resolve("map.csv"))).contains(",P,3,5.0,6.0,");
    }
}
