package org.admap.internal.columns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.admap.Progress;
import org.admap.internal.ingest.scan.NotScannable;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.ingest.scan.ScoreScan;
import org.admap.map.ScanMap;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packed columns of version 3 read every value the fixed-width columns of version 2 hold
 * for the same scan, bit for bit, in fewer bytes; a version 2 file is still read.
 */
class RunColumnsVersionsTest {

    @TempDir
    Path dir;

    /** Rows across several blocks: varied scores (some real-valued), labels, models, references, ids. */
    private Path run() throws IOException {
        Random r = new Random(11);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2600; i++) {
            StringBuilder b = new StringBuilder("{\"id\":\"q-" + i + (i % 17 == 0 ? "-\u00e9" : "")
                    + "\",\"prompt\":\"p" + i + "\"" + (i % 5 == 0 ? ",\"reference\":\"ref " + i + "\"" : "")
                    + ",\"responses\":[");
            int n = 2 + r.nextInt(4);
            for (int j = 0; j < n; j++) {
                String score = i % 3 == 0 ? Double.toString(r.nextGaussian()) : Integer.toString(r.nextInt(11));
                String label = r.nextInt(10) == 0 ? "null" : Integer.toString(r.nextInt(5));
                b.append(j == 0 ? "" : ",").append("{\"text\":\"t").append(i).append(" ").append(j)
                        .append(" ".repeat(r.nextInt(50))).append("\",\"score\":").append(score)
                        .append(",\"label\":").append(label)
                        .append(",\"model\":\"m").append(r.nextInt(5)).append("\"}");
            }
            lines.add(b.append("]}").toString());
        }
        Path data = Files.writeString(dir.resolve("d.jsonl"), String.join("\n", lines) + "\n");
        Path run = Files.createDirectories(dir.resolve("run"));
        Path abs = data.toAbsolutePath();
        try (ScannedScores scan = ScoreScan.scan(List.of(data), 3, Progress.Factory.NONE)) {
            RunColumns.write(run, List.of(new RunColumns.InputFile(abs.toString(), Files.size(abs),
                    Files.getLastModifiedTime(abs).toMillis())), scan, ScanMap.build(scan, null, Correlation.COSINE));
        } catch (NotScannable e) {
            throw new AssertionError(e);
        }
        return run;
    }

    @Test
    void versionThreeReadsWhatVersionTwoHoldsInFewerBytes() throws IOException {
        Path v3 = run();
        assertThat(OlderColumns.version(v3)).isEqualTo(RunColumns.VERSION).isEqualTo(3);
        Path v2 = Files.createDirectories(dir.resolve("v2"));
        Files.copy(v3.resolve(RunColumns.FILE), v2.resolve(RunColumns.FILE));
        OlderColumns.rewrite(v2, 2);
        assertThat(OlderColumns.version(v2)).isEqualTo(2);
        // a third of the items have real-valued scores, and their hashes and digests are incompressible
        long packed = Files.size(v3.resolve(RunColumns.FILE));
        assertThat(packed).isLessThan(Files.size(v2.resolve(RunColumns.FILE)) * 6 / 10);
        try (RunColumns a = RunColumns.open(v2); RunColumns b = RunColumns.open(v3)) {
            assertThat(b.header()).isEqualTo(a.header());
            assertThat(b.items()).isEqualTo(a.items()).isEqualTo(2600);
            assertThat(b.responses()).isEqualTo(a.responses()).isGreaterThan(2 * 2600);
            assertThat(b.pointCount()).isEqualTo(a.pointCount());
            for (int k = 0; k < a.items(); k++) {
                assertThat(b.responseStart(k)).isEqualTo(a.responseStart(k));
                assertThat(b.responseEnd(k)).isEqualTo(a.responseEnd(k));
                assertThat(b.file(k)).isEqualTo(a.file(k));
                assertThat(b.promptOffset(k)).isEqualTo(a.promptOffset(k));
                assertThat(b.inputOffset(k)).isEqualTo(a.inputOffset(k));
                assertThat(b.promptHash(k)).isEqualTo(a.promptHash(k));
                assertThat(b.normalisedHash(k)).isEqualTo(a.normalisedHash(k));
                assertThat(b.referenceOffset(k)).isEqualTo(a.referenceOffset(k));
                assertThat(b.id(k)).isEqualTo(a.id(k));
            }
            for (int r = 0; r < a.responses(); r++) {
                assertThat(Double.doubleToRawLongBits(b.score(r))).isEqualTo(Double.doubleToRawLongBits(a.score(r)));
                assertThat(Double.doubleToRawLongBits(b.label(r))).isEqualTo(Double.doubleToRawLongBits(a.label(r)));
                assertThat(b.textOffset(r)).isEqualTo(a.textOffset(r));
                assertThat(b.textLength(r)).isEqualTo(a.textLength(r));
                assertThat(b.textFilter(r)).isEqualTo(a.textFilter(r));
                assertThat(b.model(r)).isEqualTo(a.model(r));
            }
            // records compare doubles bit for bit (Double.compare), NaN correlations included
            assertThat(b.points()).isEqualTo(a.points());
            for (int p = 0; p < a.pointCount(); p++) {
                assertThat(b.pointKey(p)).isEqualTo(a.pointKey(p));
                assertThat(b.point(p, false)).isEqualTo(a.point(p, false));
            }
            assertThat(b.meansAndVariances()).isDeepEqualTo(a.meansAndVariances());
        }
    }
}
