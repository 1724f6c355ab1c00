package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.internal.store.RunStore;
import org.admap.testing.StandInServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --adaptive} end to end against the stand-in judge, noisy (a grade that moves
 * by -1..+1 with the seed) on a third of the demo's instructions and exact on the others, so
 * that some instructions are unstable and most are not.
 */
class AdaptiveScoreCommandTest {

    @TempDir
    Path tmp;
    Path run;
    StandInServer server;

    @BeforeEach
    void start() throws IOException {
        server = StandInServer.start().noisy(true).noisyOnly(AdaptiveScoreCommandTest::noisy);
        run = Cli.mapDemo(tmp.resolve("run"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static boolean noisy(String instruction, long seed) {
        return Math.floorMod(instruction.hashCode(), 3) == 0;
    }

    /** Noisy as {@link #noisy}, but only in the first two samples (seeds 1234 and 1235): a noise that fades. */
    static boolean fading(String instruction, long seed) {
        return noisy(instruction, seed) && seed < 1236;
    }

    private Cli.Result adaptive(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("score", run.toString(), "--scorer", "judge",
                "--base-url", server.baseUrl(), "--samples", "2", "--adaptive", "-q"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static final Pattern ROUND = Pattern.compile(
            "round (\\d+): (every response|([\\d,]+) instructions? below region_p 0\\.\\d+) to (\\d+) samples:"
                    + " ([\\d,]+) calls");

    private static List<int[]> rounds(String out) {
        List<int[]> rounds = new java.util.ArrayList<>();
        Matcher m = ROUND.matcher(out);
        while (m.find()) {
            rounds.add(new int[] {Integer.parseInt(m.group(1)), m.group(3) == null ? -1
                    : Integer.parseInt(m.group(3).replace(",", "")), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5).replace(",", ""))});
        }
        return rounds;
    }

    private int maxSamples() {
        try (RunStore store = RunStore.open(run.resolve(RunStore.FILE_NAME))) {
            return store.sampleCounts("judge").lastKey();
        }
    }

    private List<CSVRecord> map() throws IOException {
        Cli.Result m = Cli.run("map", run.toString(), "--scores", "judge", "-q");
        assertThat(m.exit()).as(m.toString()).isZero();
        try (Reader in = Files.newBufferedReader(run.resolve("map.csv"))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
    }

    @Test
    void roundsAddSamplesOnlyToUnstableInstructionsAndLeaveBelowTheThresholdOnlyThoseNextToABoundary()
            throws Exception {
        server.noisyOnly(AdaptiveScoreCommandTest::fading);
        Cli.Result r = adaptive("--samples-max", "12");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<int[]> rounds = rounds(r.out());
        assertThat(rounds).hasSizeGreaterThan(1);
        assertThat(rounds.get(0)).containsExactly(0, -1, 2, 400);
        int calls = 400;
        for (int i = 1; i < rounds.size(); i++) {
            int[] round = rounds.get(i);
            assertThat(round[2]).isEqualTo(2 + i);
            assertThat(round[1]).isPositive().isLessThan(50);
            // Each of the 4 responses of a chosen instruction is brought to the round's count: one sample
            // more, or several for an instruction chosen for the first time.
            assertThat(round[3]).isBetween(4 * round[1], 4 * round[1] * (round[2] - 2));
            calls += round[3];
        }
        assertThat(server.requests()).isEqualTo(calls);
        assertThat(maxSamples()).isEqualTo(1 + rounds.size()).isLessThanOrEqualTo(12);

        // The claim: the loop ends stable, or at --samples-max with only instructions next to a region
        // boundary still below 0.9 (by rank, within BOUNDARY instructions of a cut: a sample more or less
        // of their neighbours' noise moves them across it); every other instruction is above it.
        List<CSVRecord> map = map();
        Map<String, Integer> distance = boundaryDistance(map);
        assertThat(distance.values().stream().filter(d -> d >= BOUNDARY).count())
                .as("most instructions are not next to a boundary").isGreaterThanOrEqualTo(35);
        assertThat(map).filteredOn(p -> distance.get(p.get("id")) >= BOUNDARY)
                .allSatisfy(p -> assertThat(Double.parseDouble(p.get("region_p"))).as(p.get("id"))
                        .isGreaterThanOrEqualTo(0.9));
        Matcher left = Pattern.compile("still below region_p 0\\.90: ([^\\n]*)").matcher(r.out());
        if (left.find()) {
            assertThat(r.out()).contains("adaptive: --samples-max 12 reached;");
            assertThat(left.group(1).split(", ")).allSatisfy(id -> assertThat(distance.get(id)).as(id)
                    .isLessThan(BOUNDARY));
        } else {
            assertThat(r.out()).contains("adaptive: stable: no instruction below region_p 0.90");
        }

        // A rerun replays the recorded choices: instructions chosen first in a later round got several
        // samples at once, so choosing again from the samples stored now would choose otherwise.
        Cli.Result again = adaptive("--samples-max", "12");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(server.requests()).as("a rerun after the end calls nothing").isEqualTo(calls);
        assertThat(rounds(again.out())).extracting(x -> x[1]).isEqualTo(rounds.stream().map(x -> x[1]).toList());
        assertThat(rounds(again.out())).allSatisfy(x -> assertThat(x[3]).isZero());
    }

    /** Instructions within this many ranks of a region cut count as next to a boundary. */
    private static final int BOUNDARY = 2;

    /**
     * Per instruction, how many instructions lie between it and the nearest cut of the rank rule
     * that could move it: the variance cut (top third high-var) for all, and for those not high-var
     * also the cut between high-avg and low-avg by mean; 0 for the instruction on either side of a cut.
     */
    static Map<String, Integer> boundaryDistance(List<CSVRecord> map) {
        List<CSVRecord> byVariance = new java.util.ArrayList<>(map);
        byVariance.sort(java.util.Comparator.comparingDouble((CSVRecord p) -> Double.parseDouble(p.get("variance")))
                .reversed());
        int highVar = (int) map.stream().filter(p -> p.get("region").equals("high-var")).count();
        Map<String, Integer> d = new java.util.HashMap<>();
        for (int i = 0; i < byVariance.size(); i++) {
            // the cut lies between ranks highVar - 1 and highVar
            d.put(byVariance.get(i).get("id"), i < highVar ? highVar - 1 - i : i - highVar);
        }
        List<CSVRecord> rest = new java.util.ArrayList<>(byVariance.subList(highVar, byVariance.size()));
        rest.sort(java.util.Comparator.comparingDouble((CSVRecord p) -> Double.parseDouble(p.get("mean")))
                .reversed());
        int highAvg = (int) map.stream().filter(p -> p.get("region").equals("high-avg")).count();
        for (int i = 0; i < rest.size(); i++) {
            int byMean = i < highAvg ? highAvg - 1 - i : i - highAvg;
            d.merge(rest.get(i).get("id"), byMean, Math::min);
        }
        return d;
    }

    @Test
    void samplesMaxIsRespected() throws Exception {
        Cli.Result r = adaptive("--samples-max", "3");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("adaptive: --samples-max 3 reached;").contains("still below region_p 0.90:");
        assertThat(rounds(r.out())).hasSize(2);
        assertThat(maxSamples()).isEqualTo(3);
    }

    @Test
    void adaptiveStopsAtMaxCost() throws Exception {
        Path limited = run;
        run = Cli.mapDemo(tmp.resolve("unlimited"));
        Cli.Result unlimited = adaptive("--samples-max", "8");
        assertThat(unlimited.exit()).as(unlimited.toString()).isZero();
        int free = rounds(unlimited.out()).size();
        assertThat(free).isGreaterThan(3);
        double first = spent(unlimited.out(), 0);
        double budget = first + 0.15;
        run = limited;
        int before = server.requests();

        Cli.Result r = adaptive("--samples-max", "8", "--max-cost", String.format(java.util.Locale.ROOT, "%.4f",
                budget));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("adaptive: stopped before passing --max-cost")
                .contains("still below region_p 0.90:");
        List<int[]> rounds = rounds(r.out());
        assertThat(rounds.size()).isBetween(1, free - 1);
        double spent = spent(r.out(), rounds.size() - 1);
        Matcher next = Pattern.compile("the next round needs about \\$([0-9.]+)").matcher(r.out());
        assertThat(next.find()).as(r.out()).isTrue();
        assertThat(spent).as("spent").isLessThanOrEqualTo(budget);
        assertThat(spent + Double.parseDouble(next.group(1))).as("with the next round").isGreaterThan(budget);
        assertThat(maxSamples()).isLessThan(8);
        assertThat(server.requests() - before).isEqualTo(rounds.stream().mapToInt(x -> x[3]).sum());
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "$%.4f on 'judge' in all", spent));

        // The budget covers the source, not one invocation: the same command again gets no fresh budget.
        int stopped = server.requests();
        Cli.Result again = adaptive("--samples-max", "8", "--max-cost", String.format(java.util.Locale.ROOT,
                "%.4f", budget));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("adaptive: stopped before passing --max-cost").contains("judge: 0 calls");
        assertThat(server.requests()).as("a rerun at the same budget calls nothing").isEqualTo(stopped);
        assertThat(maxSamples()).isLessThan(8);
    }

    /** The "$x so far" of round {@code i}. */
    private static double spent(String out, int i) {
        Matcher m = Pattern.compile("round " + i + ": .*\\$([0-9.]+) so far").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theDryRunGivesTheFirstPassAndBoundsOnTheExtraCallsAndCallsNothing() {
        Cli.Result r = adaptive("--samples-max", "5", "--dry-run");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(server.requests()).isZero();
        assertThat(r.out()).contains("round 0 (every response to 2 samples): 400 calls")
                .contains("the extra rounds depend on the scores")
                .contains("one extra round: at most 200 calls")
                .contains("all extra rounds: at most 600 calls")
                .contains("region_p is unknown until round 0 ran");
    }
}
