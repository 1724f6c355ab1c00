package org.admap.internal.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Reason;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.diagnose.DiagnoseJob;
import org.admap.internal.diagnose.FlagsCsv;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.ingest.scan.ScoreScan;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.map.ScanMap;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnosis on a scanned run's columns against the diagnosis on the run store of the same
 * file: the same flags (reasons, numbers, details, duplicates) and the same flags.csv.
 */
class ColumnDiagnosisTest {

    @TempDir
    Path dir;

    /** Rows that exercise every text rule: whitespace-equal responses, repeats exact and normalised, pairs. */
    private static final String DUPLICATES = String.join("\n",
            row("a", "Hello, World!", "\"x  y\"", "\"x y\"", "\"z\""),
            row("b", "hello world", "\"one\"", "\"two\"", "\"three\""),
            row("c", "Hello, World!", "\"p\"", "\"q\"", "\"r\""),
            row("d", "\uff28ello \u2003world", "\"\\n x\\ty \"", "\"x y\"", "\"x\\u0020y\""),
            row("e", "Pick one", "\"left\"", "\"right\""),
            row("f", "pick ONE.", "\"left\"", "\" right\\n\""),
            row("g", "Pick one", "\"left\"", "\"other\""),
            row("h", "Pick one", "\"right\"", "\"left\""),
            row("i", "Caf\u00e9 au lait", "\"same text\"", "\"same\\u00a0text\"", "\"same  text\""),
            row("j", "CAFE\u0301 AU LAIT?", "\"ab\"", "\"ba\"", "\"ab \""),
            "{\"id\":\"k\",\"prompt\":\"Only one\",\"responses\":[{\"text\":\"solo\",\"score\":1,\"label\":1}]}",
            "{\"id\":\"l\",\"prompt\":\"with input\",\"input\":\"ctx\",\"responses\":[\"s1\",\"s1 \","
                    + "{\"text\":\"s2\",\"score\":2,\"label\":1},{\"text\":\"s3\",\"score\":1,\"label\":3}]}",
            row("m", "with input\n\nctx", "\"u\"", "\"v\"", "\"w\""),
            "");

    private static String row(String id, String prompt, String... texts) {
        StringBuilder b = new StringBuilder("{\"id\":\"" + id + "\",\"prompt\":\"" + prompt.replace("\n", "\\n")
                + "\",\"responses\":[");
        for (int i = 0; i < texts.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"text\":").append(texts[i]).append(",\"score\":")
                    .append((i * 7 + id.charAt(0)) % 5).append(",\"label\":").append((i * 3 + id.charAt(0)) % 4)
                    .append("}");
        }
        return b.append("]}").toString();
    }

    @Test
    void theFlagsOnColumnsAreTheFlagsOnTheStoreForEveryTextRule() throws Exception {
        Path data = Files.writeString(dir.resolve("dups.jsonl"), DUPLICATES);
        Compared c = compare(data);
        assertThat(c.fast().duplicates().withDuplicateResponses()).isGreaterThanOrEqualTo(3);
        assertThat(c.fast().duplicates().repeats()).isGreaterThanOrEqualTo(4);
        assertThat(c.fast().duplicates().normalisedRepeats()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theFlagsOnColumnsAreTheFlagsOnTheStoreOnGeneratedData() throws Exception {
        Path data = dir.resolve("gen.jsonl");
        Random random = new Random(7);
        String[] words = {"alpha", "beta", "Gamma", "delta,", "eps.", "zeta", "eta!", "theta"};
        try (Writer w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                String prompt = i > 10 && random.nextInt(50) == 0 ? prompts.get(random.nextInt(prompts.size()))
                        .toUpperCase(Locale.ROOT) : sentence(random, words, 8) + " " + i;
                prompts.add(prompt);
                int k = 2 + random.nextInt(3);
                String[] texts = new String[k];
                for (int r = 0; r < k; r++) {
                    texts[r] = r > 0 && random.nextInt(30) == 0 ? "\"" + sentence(random, words, 0) + "\""
                            : "\"" + sentence(random, words, 12) + "\"";
                }
                if (random.nextInt(40) == 0) {
                    texts[k - 1] = texts[0].replace(" ", "  ");
                }
                w.write(row("g" + i, prompt, texts) + "\n");
            }
        }
        Compared c = compare(data);
        assertThat(c.fast().flags().stream().filter(f -> f.reasons().contains(Reason.DUPLICATE_RESPONSES)))
                .hasSizeGreaterThan(100);
        assertThat(c.fast().flags().stream().filter(f -> f.reasons().contains(Reason.DUPLICATE_INSTRUCTION)))
                .hasSizeGreaterThan(100);
        assertThat(c.fast().flags().stream().filter(f -> f.reasons().contains(Reason.LOW_IMPACT)))
                .hasSizeGreaterThan(100);
    }

    @Test
    void aChangedInputIsAnErrorNamingItNeverAWrongText() throws Exception {
        Path data = Files.writeString(dir.resolve("dups.jsonl"), DUPLICATES);
        Path run = columns(data);
        FileTime modified = Files.getLastModifiedTime(data);
        Files.writeString(data, DUPLICATES.replace("Hello, World!", "Hello, Earth!"));
        Files.setLastModifiedTime(data, modified); // the same size and time: only the texts tell
        try (RunColumns columns = RunColumns.open(run); InputTexts texts = new InputTexts(columns)) {
            assertThatThrownBy(() -> texts.prompt(0)).isInstanceOf(InputChangedException.class)
                    .hasMessageContaining(data.toAbsolutePath().toString()).hasMessageContaining("changed");
        }
        Files.writeString(data, DUPLICATES + "\n");
        try (RunColumns columns = RunColumns.open(run)) {
            assertThatThrownBy(() -> new InputTexts(columns)).isInstanceOf(InputChangedException.class)
                    .hasMessageContaining(data.toAbsolutePath().toString());
        }
        Files.delete(data);
        try (RunColumns columns = RunColumns.open(run)) {
            assertThatThrownBy(() -> new InputTexts(columns)).isInstanceOf(InputChangedException.class)
                    .hasMessageContaining("missing");
        }
    }

    private static String sentence(Random random, String[] words, int n) {
        StringBuilder b = new StringBuilder("same answer");
        if (n > 0) {
            b.setLength(0);
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
        }
        return b.toString();
    }

    private record Compared(Diagnosis fast, Diagnosis store) {
    }

    /** Diagnoses the file both ways and checks that flags, numbers and flags.csv are the same. */
    private Compared compare(Path data) throws Exception {
        Path run = columns(data);
        Diagnosis fast;
        Path fastCsv = dir.resolve("fast-flags.csv");
        try (RunColumns columns = RunColumns.open(run); InputTexts texts = new InputTexts(columns)) {
            DiagnoseOptions options = DiagnoseOptions.paper("independent".equals(columns.header().labels()));
            fast = ColumnDiagnosis.run(columns, texts, options, true);
            FlagsCsv.write(fast, texts::prompt, fastCsv);
        }
        Diagnosis store;
        Path storeCsv = dir.resolve("store-flags.csv");
        try (RunStore s = RunStore.create(Files.createDirectories(dir.resolve("store")).resolve(RunStore.FILE_NAME))) {
            Ingest.run(List.of(data), IngestOptions.defaults(), s, Progress.Factory.NONE);
            String source = MapJob.defaultSource(s);
            MapJob.run(s, source, Correlation.COSINE);
            boolean independent = "independent".equals(s.info(MapJob.INFO_LABELS).orElseThrow());
            store = DiagnoseJob.run(s, source, DiagnoseOptions.paper(independent), true);
            FlagsCsv.write(s, store, storeCsv);
        }
        assertThat(fast.flags()).isNotEmpty().isEqualTo(store.flags());
        assertThat(fast.examined()).isEqualTo(store.examined());
        assertThat(fast.correlationDefined()).isEqualTo(store.correlationDefined());
        assertThat(Double.valueOf(fast.bottomCorrelation())).isEqualTo(Double.valueOf(store.bottomCorrelation()));
        assertThat(Double.valueOf(fast.lowImpactVariance())).isEqualTo(Double.valueOf(store.lowImpactVariance()));
        assertThat(fast.duplicates().all()).isEqualTo(store.duplicates().all());
        assertThat(fast.duplicates().groups()).isEqualTo(store.duplicates().groups());
        assertThat(Files.readString(fastCsv)).isEqualTo(Files.readString(storeCsv));
        return new Compared(fast, store);
    }

    private Path columns(Path data) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run-" + data.getFileName()));
        try (ScannedScores scan = ScoreScan.scan(List.of(data), 2, Progress.Factory.NONE)) {
            ScanMap map = ScanMap.build(scan, null, Correlation.COSINE);
            Path abs = data.toAbsolutePath();
            RunColumns.write(run, List.of(new RunColumns.InputFile(abs.toString(), Files.size(abs),
                    Files.getLastModifiedTime(abs).toMillis())), scan, map);
        } catch (org.admap.internal.ingest.scan.NotScannable e) {
            throw new AssertionError(e);
        }
        return run;
    }
}
