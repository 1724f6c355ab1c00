package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.admap.RealData;
import org.admap.internal.store.RunStore;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --adaptive} as a separate process killed with SIGKILL in its extra rounds: the
 * rerun repeats at most the calls in flight and ends with the same samples as a run that was
 * never killed, and a rerun after the end calls nothing.
 */
class AdaptiveScoreCommandIT {

    @TempDir
    Path tmp;
    StandInServer server;
    AdmapProcess admap;

    @BeforeEach
    void start() throws IOException {
        admap = new AdmapProcess(tmp);
        server = StandInServer.start().noisy(true).noisyOnly(AdaptiveScoreCommandTest::noisy);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String[] adaptive(String dir) {
        return new String[] {"score", dir, "--scorer", "judge", "--base-url", server.baseUrl(), "--samples", "2",
            "--adaptive", "--samples-max", "5", "--concurrency", "8", "-q"};
    }

    private SortedMap<Integer, Long> samples(String dir) {
        try (RunStore store = RunStore.open(tmp.resolve(dir).resolve(RunStore.FILE_NAME))) {
            return store.sampleCounts("judge");
        }
    }

    @Test
    void killedInAnExtraRoundItResumesToTheSameSamplesAsARunNeverKilled() throws Exception {
        admap.run("map", RealData.demo().toString(), "--out", "whole", "-q");
        admap.run("map", RealData.demo().toString(), "--out", "killed", "-q");
        String whole = admap.run(adaptive("whole"));
        assertThat(whole).contains("round 3:");
        int wholeCalls = server.requests();

        server.close();
        server = StandInServer.start().noisy(true).noisyOnly(AdaptiveScoreCommandTest::noisy).latency(100);
        Process p = admap.start(adaptive("killed"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (server.requests() < 420 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL, in round 1 (round 0 is 400 calls)
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(server.requests()).isBetween(420, wholeCalls - 1);

        server.latency(0);
        String resumed = admap.run(adaptive("killed"));
        long repeated = server.judgedWithSeed().values().stream().filter(n -> n.get() > 1).count();
        assertThat(repeated).as("judgments asked twice: at most the calls in flight at the kill")
                .isLessThanOrEqualTo(8);
        assertThat(server.judgedWithSeed()).as("distinct judgments: those of the run never killed")
                .hasSize(wholeCalls);
        assertThat(samples("killed")).isEqualTo(samples("whole"));
        assertThat(resumed.lines().filter(l -> l.startsWith("adaptive:")).toList())
                .isEqualTo(whole.lines().filter(l -> l.startsWith("adaptive:")).toList());

        int before = server.requests();
        String again = admap.run(adaptive("killed"));
        assertThat(server.requests()).as("a rerun after the end calls nothing").isEqualTo(before);
        assertThat(again).contains("judge: 0 calls, $0.0000");
    }
}
