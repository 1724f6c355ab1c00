package org.admap.score.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.admap.internal.image.ImageParts;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.score.http.ApiResponse;
import org.admap.internal.store.ReferenceAnswers;
import org.admap.model.ImageRef;
import org.admap.model.Turn;
import org.admap.score.ChatMessages;
import org.admap.score.Pricing;
import org.admap.score.ScoringAbortedException;
import org.admap.score.Usage;

/**
 * Has an LLM write the reference answer to an instruction, once per instruction text: a
 * stored answer (by the same model) is reused, one being written by another thread is waited
 * for, and a new one is stored before it is used.
 */
final class ReferenceWriter {

    /** A reference answer and what getting it cost now (nothing when it was stored or came with the data). */
    record Reference(String text, String writer, Usage usage, int attempts, long latencyMs) {
    }

    /** No reference could be had for an instruction; its responses get failed scores. */
    static final class ReferenceException extends Exception {
        private final String raw;
        private final int attempts;
        private final Usage usage;

        ReferenceException(String message, String raw, int attempts, Usage usage) {
            super(message);
            this.raw = raw;
            this.attempts = attempts;
            this.usage = usage;
        }

        /** What the failed call cost (a refused call: nothing; an empty answer: its tokens). */
        Usage usage() {
            return usage;
        }

        String raw() {
            return raw;
        }

        int attempts() {
            return attempts;
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ApiClient client;
    private final String model;
    private final Pricing pricing;
    private final int maxTokens;
    private final double temperature;
    private final ReferencePrompt preset;
    /** What the answers are stored under: the model, with the preset when not admap's. */
    private final String storeKey;
    private final ReferenceAnswers answers;
    private final Map<String, CompletableFuture<Reference>> inFlight = new ConcurrentHashMap<>();

    ReferenceWriter(ApiClient client, String model, Pricing pricing, int maxTokens, double temperature,
                    ReferenceAnswers answers) {
        this(client, model, pricing, maxTokens, temperature, ReferencePrompt.ADMAP, answers);
    }

    ReferenceWriter(ApiClient client, String model, Pricing pricing, int maxTokens, double temperature,
                    ReferencePrompt prompt, ReferenceAnswers answers) {
        this.preset = prompt;
        this.storeKey = prompt.storeKey(model);
        this.client = client;
        this.model = model;
        this.pricing = pricing;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.answers = answers;
    }

    String model() {
        return model;
    }

    /** Whether the answer to this prompt is stored (no call needed). */
    boolean stored(String promptHash) {
        return answers.contains(promptHash, storeKey);
    }

    /** The reference answer to a prompt: stored, or written now. */
    Reference referenceFor(String prompt, List<Turn> turns, String promptHash) throws ReferenceException,
            InterruptedException {
        return referenceFor(prompt, turns, List.of(), promptHash);
    }

    /**
     * The reference answer to a prompt with images: the writer sees them as {@code image_url}
     * parts after the prompt's text, as the paper's {@code gpt-vl-inference.py} sends them; the
     * prompt hash covers the images, so the answer is stored for this text and these images.
     */
    Reference referenceFor(String prompt, List<Turn> turns, List<ImageRef> images, String promptHash)
            throws ReferenceException, InterruptedException {
        Optional<ReferenceAnswers.Answer> stored = answers.get(promptHash, storeKey);
        if (stored.isPresent()) {
            return new Reference(stored.get().text(), model, Usage.NONE, 0, 0);
        }
        CompletableFuture<Reference> mine = new CompletableFuture<>();
        CompletableFuture<Reference> other = inFlight.putIfAbsent(promptHash, mine);
        if (other != null) {
            try {
                Reference r = other.get();
                return new Reference(r.text(), r.writer(), Usage.NONE, 0, 0); // the writing thread paid
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ScoringAbortedException abort) {
                    throw abort;
                }
                return write(prompt, turns, images, promptHash); // it failed there: one more try here
            }
        }
        try {
            Optional<ReferenceAnswers.Answer> late = answers.get(promptHash, storeKey);
            Reference r = late.isPresent() ? new Reference(late.get().text(), model, Usage.NONE, 0, 0)
                    : write(prompt, turns, images, promptHash);
            mine.complete(r);
            return r;
        } catch (ReferenceException | InterruptedException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(promptHash, mine);
        }
    }

    /**
     * Writes the answer: to the prompt as one user message, or, for a conversation, as the
     * assistant's next turn after its turns (their system turn joined onto the writer's).
     */
    private Reference write(String prompt, List<Turn> turns, List<ImageRef> images, String promptHash)
            throws ReferenceException, InterruptedException {
        if (client == null) {
            throw new ScoringAbortedException("an instruction has no reference answer in the data, and no server"
                    + " was given for " + model + " to write one");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        if (turns.isEmpty()) {
            messages.addObject().put("role", "system").put("content", preset.systemPrompt());
            messages.addObject().put("role", "user").put("content", prompt);
        } else {
            ChatMessages.append(messages, preset.systemPrompt(), turns);
        }
        ImageParts.attachToLastUser(messages, images);
        body.put("max_tokens", maxTokens);
        if (preset.sendsTemperature()) {
            body.put("temperature", temperature);
        }
        long estimated = (preset.systemPrompt().length() + prompt.length()) / 4 + 10 + maxTokens;
        ApiResponse r;
        try {
            r = client.postJson("/chat/completions", body, estimated);
        } catch (ApiException e) {
            throw new ReferenceException("writing the reference answer failed: " + e.getMessage(), e.body(),
                    e.attempts(), Usage.NONE);
        }
        JsonNode u = r.json().path("usage");
        long in;
        long out;
        try {
            in = Usage.reportedTokens(u, "prompt_tokens", 0);
            out = Usage.reportedTokens(u, "completion_tokens", 0);
        } catch (ApiException absurd) {
            long most = estimated - maxTokens;
            throw new ReferenceException("writing the reference answer failed: " + absurd.getMessage(), r.body(),
                    r.attempts(), new Usage(most, maxTokens, pricing.cost(most, maxTokens)));
        }
        Usage usage = new Usage(in, out, pricing.cost(in, out));
        JsonNode content = r.json().path("choices").path(0).path("message").path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            String reason = r.json().path("choices").path(0).path("finish_reason").asText("");
            throw new ReferenceException("the reference writer " + model + " answered no text"
                    + (reason.isEmpty() ? "" : " (finish_reason " + reason + ")"), r.body(), r.attempts(), usage);
        }
        String text = content.asText();
        answers.putIfAbsent(new ReferenceAnswers.Answer(promptHash, storeKey, text, in, out, usage.costUsd(),
                Instant.now()));
        return new Reference(text, model, usage, r.attempts(), r.latencyMs());
    }
}
