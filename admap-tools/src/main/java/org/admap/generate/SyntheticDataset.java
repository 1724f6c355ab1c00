package org.admap.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.admap.Progress;
import org.admap.ingest.Layout;
import org.admap.internal.store.AtomicFile;

/**
 * Writes a synthetic preference dataset for benchmarks and for trying admap at scale:
 * seeded (the same arguments give the same bytes), streamed (memory does not grow with
 * the size) and shaped like real data.
 *
 * <p>Each instruction has a latent quality q (uniform in [2, 9]) and a spread s (mostly
 * small, sometimes large, so the map has all three regions); each response's score is
 * q + s * N(0, 1), clipped to [1, 10] and rounded to 0.1, like a 1-10 judge rating. Labels
 * are 1-5 ratings that follow the scores (round(score / 2)), except for a share of
 * instructions ({@code flipRate}) whose labels are reversed: planted misannotations for
 * the diagnosis to find. Texts are sentences of common English words, with response
 * lengths uniform in [minWords, maxWords].
 */
public final class SyntheticDataset {

    /**
     * @param instructions how many instructions
     * @param responses    responses per instruction (2 for pairwise)
     * @param minWords     shortest response, in words
     * @param maxWords     longest response, in words
     * @param flipRate     share of instructions whose labels are reversed
     * @param seed         random seed
     * @param layout       multi (default), long, pairwise or ultrafeedback (openbmb/UltraFeedback's raw rows:
     *                     the labels as {@code fine-grained_score}, the scores as {@code overall_score})
     */
    public record Spec(long instructions, int responses, int minWords, int maxWords, double flipRate, long seed,
                       Layout layout) {

        public Spec {
            if (instructions < 1) {
                throw new IllegalArgumentException("--instructions must be at least 1, got " + instructions);
            }
            if (responses < 2) {
                throw new IllegalArgumentException("--responses must be at least 2, got " + responses);
            }
            if (minWords < 1 || maxWords < minWords) {
                throw new IllegalArgumentException("response length must satisfy 1 <= min <= max, got "
                        + minWords + ".." + maxWords);
            }
            if (!(flipRate >= 0 && flipRate <= 1)) {
                throw new IllegalArgumentException("--flip-rate must be in [0, 1], got " + flipRate);
            }
            if (layout != Layout.MULTI && layout != Layout.LONG && layout != Layout.PAIRWISE
                    && layout != Layout.ULTRAFEEDBACK) {
                throw new IllegalArgumentException("generate writes the multi, long, pairwise or ultrafeedback"
                        + " layout, not " + layout);
            }
            if (layout == Layout.PAIRWISE && responses != 2) {
                throw new IllegalArgumentException("the pairwise layout has exactly 2 responses per instruction");
            }
        }
    }

    /** UltraFeedback's four rated aspects. */
    private static final String[] ASPECTS = {"helpfulness", "honesty", "instruction_following", "truthfulness"};

    private static final String[] WORDS = ("the of and to in is that it for as with was on be by this are from or"
            + " an at which not have has but can all one more will their if about data model answer question"
            + " time would there when been also into other some these what its only new first two may than most"
            + " use used such then them each many should like any very how where well between example results"
            + " because same through while both under number information provide help make way system value"
            + " process important different good following however change before after three part need"
            + " consider step code function list group point simple result approach method test case clear"
            + " explain describe write short long best better common known people work world city water"
            + " energy history science language learn student problem solution design user response request"
            + " instruction reason context detail accurate helpful honest safe useful correct policy review")
            .split(" ");
    private static final String[] MODELS = {"alpha-7b", "beta-13b", "gamma-70b", "delta-8b", "epsilon-3b",
            "zeta-34b", "eta-1b", "theta-14b"};

    private final Spec spec;

    public SyntheticDataset(Spec spec) {
        this.spec = spec;
    }

    /** Writes the dataset to {@code file} (gzip when it ends in .gz), atomically. */
    public void write(Path file, Progress.Factory progress) throws IOException {
        boolean gzip = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        try (AtomicFile out = new AtomicFile(file);
             Progress bar = progress.start("generating " + file.getFileName(), spec.instructions(), "items")) {
            OutputStream stream = new BufferedOutputStream(out.stream(), 1 << 16);
            if (gzip) {
                stream = new GZIPOutputStream(stream, 1 << 16);
            }
            JsonGenerator json = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8);
            json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            SplittableRandom random = new SplittableRandom(spec.seed());
            StringBuilder text = new StringBuilder(1024);
            double[] scores = new double[spec.responses()];
            int[] labels = new int[spec.responses()];
            for (long i = 0; i < spec.instructions(); i++) {
                writeInstruction(json, random, text, scores, labels, i);
                if ((i & 0x3FFF) == 0) {
                    bar.advanceTo(i);
                }
            }
            json.writeRaw('\n');
            json.close();
            bar.advanceTo(spec.instructions());
            out.commit();
        }
    }

    private void writeInstruction(JsonGenerator json, SplittableRandom random, StringBuilder text,
                                  double[] scores, int[] labels, long index) throws IOException {
        String id = "gen-" + index;
        String prompt = sentence(random, text, 8 + random.nextInt(18), true);
        double quality = 2 + 7 * random.nextDouble();
        double spread = random.nextDouble() < 0.3 ? 1.5 + 2 * random.nextDouble() : 0.1 + 0.9 * random.nextDouble();
        boolean flip = random.nextDouble() < spec.flipRate();
        for (int r = 0; r < scores.length; r++) {
            double s = quality + spread * random.nextGaussian();
            scores[r] = Math.round(Math.max(1, Math.min(10, s)) * 10) / 10.0;
            labels[r] = (int) Math.max(1, Math.min(5, Math.round(scores[r] / 2)));
        }
        if (flip) {
            for (int r = 0; r < labels.length; r++) {
                labels[r] = 6 - labels[r];
            }
        }
        int firstModel = random.nextInt(MODELS.length);
        switch (spec.layout()) {
            case LONG -> {
                for (int r = 0; r < scores.length; r++) {
                    json.writeStartObject();
                    json.writeStringField("id", id);
                    json.writeStringField("prompt", prompt);
                    json.writeStringField("response", response(random, text));
                    json.writeNumberField("score", scores[r]);
                    json.writeNumberField("label", labels[r]);
                    json.writeStringField("model", MODELS[(firstModel + r) % MODELS.length]);
                    json.writeEndObject();
                }
            }
            case PAIRWISE -> {
                int better = scores[0] >= scores[1] ? 0 : 1;
                if (flip) {
                    better = 1 - better;
                }
                String a = response(random, text);
                String b = response(random, text);
                json.writeStartObject();
                json.writeStringField("id", id);
                json.writeStringField("prompt", prompt);
                json.writeStringField("chosen", better == 0 ? a : b);
                json.writeStringField("rejected", better == 0 ? b : a);
                json.writeNumberField("score_chosen", scores[better]);
                json.writeNumberField("score_rejected", scores[1 - better]);
                json.writeEndObject();
            }
            case ULTRAFEEDBACK -> {
                // openbmb/UltraFeedback's shape: the labels are the fine-grained scores, read by default
                json.writeStartObject();
                json.writeStringField("source", "synthetic");
                json.writeStringField("instruction", prompt);
                json.writeArrayFieldStart("models");
                for (int r = 0; r < scores.length; r++) {
                    json.writeString(MODELS[(firstModel + r) % MODELS.length]);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("completions");
                for (int r = 0; r < scores.length; r++) {
                    json.writeStartObject();
                    json.writeObjectFieldStart("annotations");
                    for (String aspect : ASPECTS) {
                        json.writeObjectFieldStart(aspect);
                        json.writeStringField("Rating", Integer.toString(labels[r]));
                        json.writeEndObject();
                    }
                    json.writeEndObject();
                    json.writeNumberField("fine-grained_score", labels[r]);
                    json.writeStringField("model", MODELS[(firstModel + r) % MODELS.length]);
                    json.writeNumberField("overall_score", scores[r]);
                    json.writeStringField("response", response(random, text));
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            default -> {
                json.writeStartObject();
                json.writeStringField("id", id);
                json.writeStringField("prompt", prompt);
                json.writeArrayFieldStart("responses");
                for (int r = 0; r < scores.length; r++) {
                    json.writeStartObject();
                    json.writeStringField("text", response(random, text));
                    json.writeNumberField("score", scores[r]);
                    json.writeNumberField("label", labels[r]);
                    json.writeStringField("model", MODELS[(firstModel + r) % MODELS.length]);
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
        }
    }

    private String response(SplittableRandom random, StringBuilder text) {
        int words = spec.minWords() + random.nextInt(spec.maxWords() - spec.minWords() + 1);
        return sentence(random, text, words, false);
    }

    private static String sentence(SplittableRandom random, StringBuilder sb, int words, boolean question) {
        sb.setLength(0);
        boolean capital = true;
        for (int w = 0; w < words; w++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (w > 0) {
                sb.append(' ');
            }
            if (capital) {
                sb.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                capital = false;
            } else {
                sb.append(word);
            }
            if (w < words - 1 && random.nextInt(12) == 0) {
                sb.append('.');
                capital = true;
            }
        }
        sb.append(question ? '?' : '.');
        return sb.toString();
    }
}
