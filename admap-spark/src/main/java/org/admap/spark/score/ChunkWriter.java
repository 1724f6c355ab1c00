package org.admap.spark.score;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import org.admap.internal.json.Json;
import org.admap.score.ScoreOutcome;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Appends a task's scores to the {@link ScoreStore} in chunks: every {@code chunkSize}
 * results (and at the end) the chunk is written under a hidden temporary name and renamed
 * into place, so a reader sees whole chunks only, and a task that dies loses at most the
 * results of its unfinished chunk. Thread-safe: the task's scoring threads share it.
 */
final class ChunkWriter implements AutoCloseable {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final FileSystem fs;
    private final Path dir;
    private final String prefix;
    private final String fingerprint;
    private final String source;
    private final int chunkSize;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private int buffered;
    private int chunks;
    private long written;

    ChunkWriter(FileSystem fs, Path dir, String taskName, String fingerprint, String source, int chunkSize) {
        this.fs = fs;
        this.dir = dir;
        this.prefix = taskName + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.fingerprint = fingerprint;
        this.source = source;
        this.chunkSize = chunkSize;
    }

    /** Adds the outcome of one task's response. */
    synchronized void add(ResponseTask task, ScoreOutcome o) {
        try (JsonGenerator g = JSON.getFactory().createGenerator(buffer)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeStringField("fingerprint", fingerprint);
            g.writeStringField("source", source);
            g.writeStringField("prompt_hash", task.promptHash());
            g.writeStringField("response_hash", task.responseHash());
            g.writeStringField("item_id", task.itemId());
            if (o.isOk()) {
                g.writeNumberField("value", o.value());
            } else {
                g.writeNullField("value");
            }
            g.writeStringField("error", o.error());
            g.writeStringField("raw_output", o.rawOutput());
            g.writeNumberField("tokens_in", o.usage().tokensIn());
            g.writeNumberField("tokens_out", o.usage().tokensOut());
            g.writeNumberField("cost_usd", o.usage().costUsd());
            g.writeNumberField("latency_ms", o.latencyMs());
            g.writeNumberField("attempts", o.attempts());
            g.writeStringField("scored_at", Instant.now().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        buffered++;
        written++;
        if (buffered >= chunkSize) {
            flush();
        }
    }

    /** Commits the buffered results as one chunk. */
    synchronized void flush() {
        if (buffered == 0) {
            return;
        }
        String name = prefix + "-" + (chunks++) + ".jsonl";
        Path temp = new Path(dir, "_" + name + ".inprogress"); // never matched by readers
        try {
            fs.mkdirs(dir);
            try (OutputStream out = fs.create(temp, true)) {
                buffer.writeTo(out);
            }
            if (!fs.rename(temp, new Path(dir, name))) {
                throw new IOException("cannot move " + temp + " into place");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store scores in " + dir + ": " + e.getMessage(), e);
        }
        buffer.reset();
        buffered = 0;
    }

    /** Results added so far. */
    synchronized long written() {
        return written;
    }

    @Override
    public void close() {
        flush();
    }
}
