package org.admap.score.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;

/**
 * The OpenAI Files and Batches endpoints admap uses, over {@link ApiClient} (retries, rate
 * limits, redaction): upload a request file, create a batch, retrieve it, download a file.
 */
final class BatchApi {

    /** The one mapper of this package's JSON (request lines, answers, batch objects). */
    static final ObjectMapper JSON = Json.MAPPER;

    private final ApiClient client;

    BatchApi(ApiClient client) {
        this.client = client;
    }

    /** Uploads a JSONL request file with purpose {@code batch}; returns its file id. */
    String upload(Path file) throws ApiException, InterruptedException, IOException {
        String boundary = "admap-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 1024,
                Files.size(file) + 1024));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: " +
                        "application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        Files.copy(file, body);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = client.postMultipart("/files", boundary, body.toByteArray()).json();
        String id = answer.path("id").asText(null);
        if (id == null) {
            throw new ApiException(200, "the upload of " + file.getFileName() + " to " + client.url("/files")
                    + " answered without a file id", answer.toString(), 1);
        }
        return id;
    }

    /** Creates a batch over an uploaded file: the endpoint for every line, a 24 h window. */
    JsonNode create(String inputFileId, String endpoint, Map<String, String> metadata)
            throws ApiException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        request.put("input_file_id", inputFileId);
        request.put("endpoint", endpoint);
        request.put("completion_window", "24h");
        ObjectNode meta = request.putObject("metadata");
        metadata.forEach(meta::put);
        JsonNode batch = client.postJson("/batches", request, 0).json();
        if (!batch.path("id").isTextual()) {
            throw new ApiException(200, "creating a batch at " + client.url("/batches") + " answered without a batch"
                    + " id", batch.toString(), 1);
        }
        return batch;
    }

    /** The batch's current state. */
    JsonNode retrieve(String batchId) throws ApiException, InterruptedException {
        return client.getJson("/batches/" + batchId).json();
    }

    /** A file's content as text (output and error files, request files). */
    String content(String fileId) throws ApiException, InterruptedException {
        return client.getText("/files/" + fileId + "/content").body();
    }

    /** A file id field of a batch object: its text, or null when absent or empty. */
    static String fileId(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }
}
