package org.admap.spark.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.admap.internal.json.Json;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The responses an earlier attempt of the same partition already scored successfully and
 * committed (its {@link ChunkWriter} chunks are named {@code p<partition>-a<attempt>-...}).
 * A retried task (its executor was lost, or a fetch failure re-ran the stage) skips them,
 * so it repeats only what the dead attempt had not committed: its unfinished chunk and its
 * calls in flight, never what is stored. Read only by retried attempts, so a first attempt
 * never lists the store.
 */
final class CommittedChunks {

    private static final ObjectMapper JSON = Json.MAPPER;

    private CommittedChunks() {
    }

    /** The keys with a successful score in the committed chunks of {@code partition} under {@code dir}. */
    static Set<ResponseKey> of(FileSystem fs, Path dir, int partition) throws IOException {
        Set<ResponseKey> keys = new HashSet<>();
        if (!fs.exists(dir)) {
            return keys;
        }
        String prefix = "p" + partition + "-a";
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith(prefix) && p.getName().endsWith(".jsonl"))) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(f.getPath()),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode n = JSON.readTree(line);
                    if (n.path("value").isNumber() && n.path("error").isNull()) {
                        keys.add(new ResponseKey(n.get("prompt_hash").asText(), n.get("response_hash").asText()));
                    }
                }
            }
        }
        return keys;
    }
}
