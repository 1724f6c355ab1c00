package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory is recognised by its store; a new map removes only the outputs derived from the old one. */
class RunDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void missingDirectoryIsNotARun() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> RunDirectory.existing(missing))
                .isInstanceOf(StoreException.class)
                .hasMessage(missing + ": no such run directory (create one with 'admap map INPUT --out " + missing
                        + "')");
    }

    @Test
    void directoryWithoutAStoreIsNotARun() {
        assertThatThrownBy(() -> RunDirectory.existing(dir))
                .isInstanceOf(StoreException.class)
                .hasMessage(dir + " is not an admap run: no map has finished there (it has neither run.duckdb nor"
                        + " store.pending.json; create one with 'admap map INPUT --out " + dir + "')");
        assertThat(new RunDirectory(dir).exists()).isFalse();
    }

    @Test
    void directoryWithAStoreIsARun() {
        RunStore.create(dir.resolve(RunStore.FILE_NAME)).close();

        RunDirectory run = RunDirectory.existing(dir);

        assertThat(run.exists()).isTrue();
        assertThat(run.store()).isEqualTo(dir.resolve("run.duckdb"));
    }

    @Test
    void deletingDerivedOutputsKeepsTheMapAndTheStore() throws Exception {
        RunDirectory run = new RunDirectory(dir);
        for (Path p : new Path[] {run.store(), run.mapCsv(), run.summaryJson(), run.flagsCsv(), run.diagnosisJson(),
                run.mapPng()}) {
            Files.writeString(p, "x");
        }

        run.deleteDerivedOutputs();
        run.deleteDerivedOutputs(); // and again, when they are already gone

        assertThat(run.flagsCsv()).doesNotExist();
        assertThat(run.diagnosisJson()).doesNotExist();
        assertThat(run.mapPng()).doesNotExist();
        assertThat(run.store()).exists();
        assertThat(run.mapCsv()).exists();
        assertThat(run.summaryJson()).exists();
    }
}
