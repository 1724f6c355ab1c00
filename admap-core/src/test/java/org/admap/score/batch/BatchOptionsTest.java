package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link BatchScoring.Options}: its defaults, its builder, and the settings it refuses. */
class BatchOptionsTest {

    @Test
    void theDefaultsArePollEvery30sWaitTheApiLimitsAndNoBudget() {
        BatchScoring.Options o = BatchScoring.Options.defaults();
        assertThat(o).isEqualTo(new BatchScoring.Options(Duration.ofSeconds(30), true, false, Double.NaN, false,
                BatchScoring.Options.MAX_REQUESTS, BatchScoring.Options.MAX_BYTES, false));
        assertThat(BatchScoring.Options.builder().build()).isEqualTo(o);
    }

    @Test
    void eachWithChangesOneSettingOnly() {
        BatchScoring.Options o = BatchScoring.Options.defaults();
        assertThat(o.withPollInterval(Duration.ofMillis(5)).toBuilder().pollInterval(o.pollInterval()).build())
                .isEqualTo(o);
        assertThat(o.withMaxCost(2.5).maxCostUsd()).isEqualTo(2.5);
        assertThat(o.withDryRun(true).dryRun()).isTrue();
        assertThat(o.withWaitForResults(false).waitForResults()).isFalse();
        assertThat(o.withRetryFailed(true).retryFailed()).isTrue();
        assertThat(o.withReuseAcrossEndpoints(true).reuseAcrossEndpoints()).isTrue();
        BatchScoring.Options limits = o.withFileLimits(60, 20_000);
        assertThat(limits.maxRequestsPerFile()).isEqualTo(60);
        assertThat(limits.maxBytesPerFile()).isEqualTo(20_000);
        assertThat(limits.withDryRun(true).withDryRun(false)).isEqualTo(limits);
    }

    @Test
    void aBuilderCopiesEverySetting() {
        BatchScoring.Options o = new BatchScoring.Options(Duration.ofMillis(7), false, true, 3.0, true, 10, 4096, true);
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        BatchScoring.Options.Builder b = BatchScoring.Options.builder();
        assertThatThrownBy(() -> b.pollInterval(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("--poll-interval");
        assertThatThrownBy(() -> BatchScoring.Options.builder().maxCost(-1).build())
                .hasMessageContaining("--max-cost");
        assertThatThrownBy(() -> BatchScoring.Options.builder().fileLimits(50_001, 1 << 20).build())
                .hasMessageContaining("requests per batch must be within 1..50000");
        assertThatThrownBy(() -> BatchScoring.Options.builder().fileLimits(10, 1000).build())
                .hasMessageContaining("at least 1024");
    }
}
