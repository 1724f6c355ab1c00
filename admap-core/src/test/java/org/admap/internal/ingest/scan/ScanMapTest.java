package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.admap.Progress;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.map.MapBuilder;
import org.admap.map.MapProvenance;
import org.admap.map.ScanMap;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map of a scan, built from the scan's columns in place on several threads, is the map
 * a {@link MapBuilder} makes of a copy of each item's numbers: the same points, bit for
 * bit, whatever the chunks and threads.
 */
class ScanMapTest {

    @TempDir
    Path dir;

    @Test
    void theMapReadInPlaceIsTheMapOfEachItemsNumbers() throws Exception {
        Path file = dir.resolve("numbers.jsonl");
        Files.writeString(file, rows(3000, 11), StandardCharsets.UTF_8);

        for (int threads : new int[] {1, 3}) {
            for (long minRange : new long[] {97, 4096, 1 << 22}) {
                ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                for (String source : new String[] {RunStore.INPUT, RunStore.LABELS}) {
                    for (Correlation measure : Correlation.values()) {
                        ScanMap map = ScanMap.build(scan, source, measure);
                        boolean onLabels = source.equals(RunStore.LABELS);
                        AlignmentMap expected = expected(scan, onLabels, map.labels().equals("independent") ? measure
                                : null);

                        String as = String.format(Locale.ROOT, "%s, %s, %d threads, ranges of %d bytes (%d chunks)",
                                source, measure, threads, minRange, scan.chunkCount());
                        assertThat(map.map().points()).as(as).isEqualTo(expected.points());
                        assertThat(map.map().unmapped()).as(as).isEqualTo(expected.unmapped());
                        assertThat(map.scoreRange()).as(as).isEqualTo(scan.range(onLabels));
                    }
                }
            }
        }
    }

    /** One builder fed with a copy of every item's numbers, in order. */
    private static AlignmentMap expected(ScannedScores scan, boolean onLabels, Correlation measure) {
        MapBuilder builder = new MapBuilder(new MapProvenance("any", null, Instant.EPOCH, "test"),
                measure == null ? null : s -> MapJob.agreement(measure, s));
        scan.forEachItem(onLabels, builder);
        return builder.build();
    }

    /** Rows of 1 to 6 responses with few distinct numbers (ties), -0.0, and absent scores and labels. */
    private static String rows(int n, long seed) {
        Random r = new Random(seed);
        String[] numbers = {"-0.0", "0", "0.0", "1", "2.5", "4.6", "10", "-3"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"id\": \"q").append(r.nextInt(100 * n)).append('-').append(i)
                    .append("\", \"prompt\": \"p").append(i).append("\", \"responses\": [");
            int k = 1 + r.nextInt(6); // the scan takes rows with responses only
            for (int j = 0; j < k; j++) {
                sb.append(j > 0 ? ", " : "").append("{\"text\": \"r\"");
                if (r.nextInt(6) > 0) {
                    sb.append(", \"score\": ").append(r.nextBoolean() ? numbers[r.nextInt(numbers.length)]
                            : String.valueOf(Math.round(r.nextGaussian() * 1000) / 100.0));
                }
                if (r.nextInt(5) > 0) {
                    sb.append(", \"label\": ").append(1 + r.nextInt(5));
                }
                sb.append('}');
            }
            sb.append("]}\n");
        }
        return sb.toString();
    }
}
