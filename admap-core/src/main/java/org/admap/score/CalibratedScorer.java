package org.admap.score;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreCalibration;
import org.admap.model.Item;

/**
 * A judge that judges every response once and the responses of a seeded share of the
 * instructions a second time ({@code score --calibrate F}): the pairs measure the noise of one
 * judgment, so that a map built from one judgment per response can say how stable its regions
 * are, at a fraction F of the cost of judging everything twice. The second judgment is sample
 * 1 (its own seed, its own row), cached and resumed like any sample; the scorer's
 * configuration (its fingerprint) is the judge's, so {@code --samples 2} later completes the
 * source. It counts the calls and estimated cost of the second judgments it is asked about,
 * for the dry run and the summary.
 */
public final class CalibratedScorer implements Scorer {

    private final Scorer judge;
    private final ScoreCalibration calibration;
    private final AtomicLong extraCalls = new AtomicLong();
    private final AtomicReference<Usage> extraUsage = new AtomicReference<>(Usage.NONE);

    /**
     * @param judge       the judge, with one sample per response and a temperature above 0 (the
     *                    second judgment must be a fresh draw of the same distribution as the first)
     * @param calibration the share of instructions judged twice and its seed
     */
    public CalibratedScorer(Scorer judge, ScoreCalibration calibration) {
        if (judge.samples() != 1) {
            throw new IllegalArgumentException("a calibration judges one sample per response and a share twice;"
                    + " the judge already makes " + judge.samples() + " per response");
        }
        this.judge = judge;
        this.calibration = calibration;
    }

    /** The share judged twice and its seed. */
    public ScoreCalibration calibration() {
        return calibration;
    }

    /** The second judgments estimated so far (each task's estimate is asked once, before its call). */
    public long extraCalls() {
        return extraCalls.get();
    }

    /** Their estimated tokens and cost. */
    public Usage extraUsage() {
        return extraUsage.get();
    }

    @Override
    public ScorerConfig config() {
        return judge.config();
    }

    @Override
    public boolean wholeItems() {
        return judge.wholeItems();
    }

    @Override
    public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
        return judge.score(task);
    }

    @Override
    public Usage estimate(ScoreTask task) {
        Usage u = judge.estimate(task);
        if (task.sample() >= 1) {
            extraCalls.incrementAndGet();
            extraUsage.accumulateAndGet(u, Usage::plus);
        }
        return u;
    }

    @Override
    public List<String> aspectNames() {
        return judge.aspectNames();
    }

    @Override
    public boolean usesReference() {
        return judge.usesReference();
    }

    @Override
    public boolean usesTurns() {
        return judge.usesTurns();
    }

    @Override
    public boolean usesImages() {
        return judge.usesImages();
    }

    @Override
    public int samples() {
        return 2;
    }

    @Override
    public int samples(Item item) {
        return calibration.samplesFor(item.id());
    }

    @Override
    public long judgmentsToScore(RunStore store, String source, boolean includingFailed) {
        AtomicLong second = new AtomicLong();
        store.forEachPendingOfSample(source, includingFailed, 1, (id, n) -> {
            if (calibration.chosen(id)) {
                second.addAndGet(n);
            }
        });
        return store.responsesToScore(source, includingFailed, 1) + second.get();
    }

    @Override
    public Optional<String> waiting() {
        return judge.waiting();
    }

    @Override
    public void close() {
        judge.close();
    }
}
