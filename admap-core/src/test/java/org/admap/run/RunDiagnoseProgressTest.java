package org.admap.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.diagnose.DiagnoseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Run#diagnose} names every phase of a diagnosis to the progress it is given. */
class RunDiagnoseProgressTest {

    @TempDir
    Path dir;

    @Test
    void everyPhaseOfADiagnosisIsNamedInOrder() throws Exception {
        Path runDir = dir.resolve("run");
        Run.create(CreateOptions.of(List.of(RealData.demo().toString()), runDir), Progress.Factory.NONE);
        Run run = Run.open(runDir, Progress.Factory.NONE); // as 'admap diagnose' does: builds the deferred store
        List<String> tasks = new ArrayList<>();
        Progress.Factory recorder = (task, total, unit) -> {
            tasks.add(task);
            return Progress.NONE;
        };

        Run.Diagnosed d = run.diagnose(DiagnoseOptions.paper(true), true, new Run.Flips(10, 7, 0), recorder);

        assertThat(tasks).containsExactly(
                "diagnose: reading scores and labels (cosine agreement)",
                "diagnose: reading texts (repeated responses and instructions)",
                "diagnose: flagging",
                "diagnose: self-validation (10% flipped)",
                "diagnose: writing flags.csv",
                "diagnose: storing " + d.diagnosis().flags().size() + " flags");
    }
}
