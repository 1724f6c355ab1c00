package org.admap.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs a BERT-style sentence-embedding ONNX model as sentence-transformers does: tokenise
 * with truncation at the model's input limit, run padded batches, pool (mean over the real
 * tokens, or [CLS]), normalise. Texts are sorted by length before batching, so a batch pads
 * little. ONNX Runtime runs each batch on {@code threads} threads; thread-safe, and
 * {@link #close()} waits for the batches in flight.
 */
final class SentenceEncoder implements AutoCloseable {

    /** Texts per ONNX run. */
    static final int BATCH = 32;

    private final LocalModel model;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Set<String> inputs;
    private final HuggingFaceTokenizer tokenizer;

    SentenceEncoder(LocalModel model, int threads) {
        this.model = model;
        try (InputStream onnx = resource(model.modelResource());
             InputStream tok = resource(model.tokenizerResource())) {
            this.environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Batches come in every shape: an arena that keeps the largest of each grows to
            // gigabytes over a long run. Plain allocation costs little next to the model.
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            this.session = environment.createSession(onnx.readAllBytes(), options);
            this.inputs = session.getInputNames();
            this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of(
                    "truncation", "true",
                    "maxLength", Integer.toString(model.maxTokens()),
                    "padding", "false"));
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot load the embedding model " + model.cliName() + ": "
                    + e.getMessage(),
                    e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = SentenceEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (is the model's jar in admap's lib/?)");
        }
        return in;
    }

    /** Word pieces per text (special tokens included, after truncation), and vectors. */
    record Result(float[][] vectors, long tokens) {
    }

    /**
     * One batch at a time: each run already uses every core, and concurrent runs would only
     * multiply the memory held.
     */
    private final java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(1);

    /**
     * Held shared by every {@link #encode} and exclusively by {@link #close()}: the native
     * session is freed only once no thread is inside it (freeing it under a running batch
     * crashes the JVM), and no batch starts on a freed one.
     */
    private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
    /** Guarded by {@link #inUse}. */
    private boolean closed;

    /**
     * Embeds texts.
     *
     * @throws IllegalStateException when the encoder is closed
     * @throws InterruptedException  when interrupted waiting for another thread's batch (a
     *                               scoring pass that stops drops the texts not yet embedded)
     */
    Result encode(List<String> texts) throws OrtException, InterruptedException {
        inUse.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the embedding model " + model.cliName() + " is closed");
            }
            return encodeOpen(texts);
        } finally {
            inUse.readLock().unlock();
        }
    }

    /** Threads inside {@link #encode} now (for tests). */
    int inFlight() {
        return inUse.getReadLockCount();
    }

    private Result encodeOpen(List<String> texts) throws OrtException, InterruptedException {
        Encoding[] encodings = new Encoding[texts.size()];
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            encodings[i] = tokenizer.encode(texts.get(i));
            tokens += encodings[i].getIds().length;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < encodings.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] vectors = new float[texts.size()][];
        for (int from = 0; from < order.size(); from += BATCH) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
            float[][] out;
            running.acquire();
            try {
                out = run(batch.stream().map(i -> encodings[i]).toArray(Encoding[]::new));
            } finally {
                running.release();
            }
            for (int b = 0; b < batch.size(); b++) {
                vectors[batch.get(b)] = out[b];
            }
        }
        return new Result(vectors, tokens);
    }

    private float[][] run(Encoding[] batch) throws OrtException {
        int n = batch.length;
        int length = 0;
        for (Encoding e : batch) {
            length = Math.max(length, e.getIds().length);
        }
        long[] ids = new long[n * length];
        long[] mask = new long[n * length];
        long[] types = new long[n * length];
        for (int b = 0; b < n; b++) {
            long[] id = batch[b].getIds();
            long[] m = batch[b].getAttentionMask();
            long[] t = batch[b].getTypeIds();
            System.arraycopy(id, 0, ids, b * length, id.length);
            System.arraycopy(m, 0, mask, b * length, m.length);
            System.arraycopy(t, 0, types, b * length, t.length);
        }
        long[] shape = {n, length};
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OnnxTensor idT = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typeT = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            feed.put("input_ids", idT);
            feed.put("attention_mask", maskT);
            if (inputs.contains("token_type_ids")) {
                feed.put("token_type_ids", typeT);
            }
            try (OrtSession.Result result = session.run(feed)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] out = new float[n][];
                for (int b = 0; b < n; b++) {
                    out[b] = normalise(pool(hidden[b], mask, b * length, length));
                }
                return out;
            }
        }
    }

    private float[] pool(float[][] tokens, long[] mask, int offset, int length) {
        if (model.pooling() == LocalModel.Pooling.CLS) {
            return tokens[0].clone();
        }
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < length; t++) {
            if (mask[offset + t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, count);
        }
        return sum;
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float f : v) {
            norm += f * (double) f;
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) norm;
        }
        return v;
    }

    /**
     * Releases the model once the batches running now are done (it waits for them); closing
     * twice does nothing.
     */
    @Override
    public void close() {
        inUse.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException ignored) {
                // closing anyway
            }
            tokenizer.close();
        } finally {
            inUse.writeLock().unlock();
        }
    }
}
