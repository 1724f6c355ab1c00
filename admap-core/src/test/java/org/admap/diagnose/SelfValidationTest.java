package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.diagnose.DiagnoseJob;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.model.ItemScores;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diagnose --inject-flips: flipping a copy of the labels and measuring what the diagnosis finds. */
class SelfValidationTest {

    private static final double NA = Double.NaN;

    @TempDir
    Path dir;

    private RunStore demo() throws IOException {
        RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
        Ingest.run(List.of(RealData.demo()), IngestOptions.defaults(), store, Progress.Factory.NONE);
        return store;
    }

    private static List<Double> labels(RunStore store) {
        List<Double> all = new ArrayList<>();
        store.forEachItemScores(RunStore.INPUT, s -> Arrays.stream(s.labels()).forEach(all::add));
        return all;
    }

    @Test
    void flipsOnTheDemoAreFoundAndTheStoredLabelsAndFlagsStayAsTheyWere() throws IOException {
        try (RunStore store = demo()) {
            MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            Diagnosis real = DiagnoseJob.run(store, RunStore.INPUT, DiagnoseOptions.paper(true));
            List<Double> before = labels(store);

            SelfValidation.Result r = SelfValidation.run(store, RunStore.INPUT,
                    new DiagnoseOptions(Correlation.PEARSON, 0.65, 0.01, 0.05, true), 20, 1, 0);

            // 40 demo items have labels that are not all equal; 20% of them is 8
            assertThat(r.eligible()).isEqualTo(40);
            assertThat(r.injected()).isEqualTo(8);
            assertThat(r.k()).isEqualTo(8);
            assertThat(r.labelsWereScores()).isFalse();
            assertThat(r.rows()).hasSize(40).filteredOn(SelfValidation.Row::injected).hasSize(8);
            assertThat(r.detectors()).singleElement().satisfies(d -> {
                assertThat(d.name()).isEqualTo("input");
                assertThat(d.auc()).isGreaterThan(0.85);
            });
            assertThat(r.atThreshold().recall()).isGreaterThan(0.5);
            // the three planted misannotations are real negatives the flags also find
            assertThat(r.atThreshold().precision()).isLessThan(1.0);
            assertThat(r.byReason()).containsOnlyKeys(Reason.MISANNOTATED, Reason.SCORE_PREFERS_REJECTED);

            assertThat(labels(store)).as("the labels in the store").isEqualTo(before);
            Diagnosis again = DiagnoseJob.run(store, RunStore.INPUT, DiagnoseOptions.paper(true));
            assertThat(again.flags()).isEqualTo(real.flags());
        }
    }

    @Test
    void theSameSeedFlipsTheSameInstructionsAndAnotherSeedOthers() throws IOException {
        try (RunStore store = demo()) {
            MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            DiagnoseOptions options = DiagnoseOptions.paper(true);

            SelfValidation.Result a = SelfValidation.run(store, RunStore.INPUT, options, 30, 7, 0);
            SelfValidation.Result b = SelfValidation.run(store, RunStore.INPUT, options, 30, 7, 0);
            SelfValidation.Result c = SelfValidation.run(store, RunStore.INPUT, options, 30, 8, 0);

            assertThat(b).isEqualTo(a);
            assertThat(flipped(c)).isNotEqualTo(flipped(a));
        }
    }

    @Test
    void whenTheLabelsAreTheScoresTheFlippedScoresPlayTheLabels() throws IOException {
        try (RunStore store = demo()) {
            MapJob.run(store, RunStore.LABELS, Correlation.COSINE);
            assertThat(store.info(MapJob.INFO_LABELS)).contains("scores");

            SelfValidation.Result r = SelfValidation.run(store, RunStore.LABELS, DiagnoseOptions.paper(false), 50, 3,
                    0);

            assertThat(r.labelsWereScores()).isTrue();
            // unflipped instructions agree perfectly by construction, flipped ones cannot all
            assertThat(r.detectors().get(0).auc()).isGreaterThan(0.95);
            assertThat(r.atThreshold().precision()).isEqualTo(1.0);
        }
    }

    @Test
    void aShareThatFlipsNothingIsRefused() throws IOException {
        try (RunStore store = demo()) {
            MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            assertThatThrownBy(() -> SelfValidation.run(store, RunStore.INPUT, DiagnoseOptions.paper(true), 1, 1, 0))
                    .hasMessageContaining("1% of the 40 instructions that can be flipped is none");
            assertThatThrownBy(() -> SelfValidation.run(store, RunStore.INPUT, DiagnoseOptions.paper(true), 0, 1, 0))
                    .hasMessageContaining("(0, 100]");
        }
    }

    private static List<String> flipped(SelfValidation.Result r) {
        return r.rows().stream().filter(SelfValidation.Row::injected).map(SelfValidation.Row::id).toList();
    }

    // ---- the flip itself ---------------------------------------------------------------

    @Test
    void aPairIsSwapped() {
        double[] out = SelfValidation.flip(new ItemScores(3, "x", new double[] {0.2, 0.9}, new double[] {1, 0}), 42);
        assertThat(out).containsExactly(0, 1);
    }

    @Test
    void responsesWithoutBothNumbersKeepTheirLabel() {
        ItemScores s = new ItemScores(0, "x", new double[] {1, NA, 3, 4}, new double[] {5, 2, NA, 1});
        for (long seed = 0; seed < 20; seed++) {
            double[] out = SelfValidation.flip(s, seed);
            assertThat(out[1]).isEqualTo(2);
            assertThat(out[2]).isNaN();
            assertThat(new double[] {out[0], out[3]}).containsExactly(1, 5);
        }
    }

    @Property
    void aFlipPermutesTheLabelsAndChangesThem(@ForAll("flippable") ItemScores s, @ForAll long seed) {
        double[] out = SelfValidation.flip(s, seed);

        double[] a = s.labels().clone();
        double[] b = out.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertThat(b).as("the same multiset of labels").containsExactly(a);
        assertThat(out).isNotEqualTo(s.labels());
        assertThat(SelfValidation.flip(s, seed)).as("deterministic").containsExactly(out);
    }

    @Property
    void constantLabelsCannotBeFlipped(@ForAll("flippable") ItemScores s) {
        double[] constant = new double[s.labels().length];
        Arrays.fill(constant, 3);
        assertThat(SelfValidation.flippable(new ItemScores(0, "x", s.scores(), constant))).isFalse();
    }

    @Provide
    Arbitrary<ItemScores> flippable() {
        return Arbitraries.integers().between(2, 12).flatMap(n -> Arbitraries.integers().between(1, 5)
                .list().ofSize(n).map(labels -> {
                    double[] l = labels.stream().mapToDouble(Integer::doubleValue).toArray();
                    double[] s = new double[n];
                    Arrays.setAll(s, i -> i);
                    return new ItemScores(0, "x", s, l);
                })).filter(SelfValidation::flippable);
    }

    @Property
    void flippableMeansTwoLabelledScoredResponsesWithDifferentLabels(@ForAll("flippable") ItemScores s) {
        Assume.that(s.labels().length >= 2);
        assertThat(SelfValidation.flippable(s)).isTrue();
    }
}
