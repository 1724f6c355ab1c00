package org.admap.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stand-in's language model behind {@code POST /v1/completions}: it tokenises text into
 * words with their leading spaces ({@code "Hi there"} is {@code "Hi", " there"}), special
 * tokens {@code <|...|>} whole, and gives every token but the first a log-probability derived
 * from the token before it and itself ({@link #logprob}), so tests can compute the expected
 * likelihoods. With {@code echo} the answer holds the prompt's tokens and then the generated
 * ones, in OpenAI's legacy shape ({@code tokens}, {@code token_logprobs}, {@code text_offset}),
 * with the offsets counted as vLLM counts them: the running length of the tokens' texts in code
 * points (Python's {@code len}), so a BOS token ({@link #bos}) shifts them all.
 *
 * <p>It can act like servers that do not serve echo ({@link #ignoreEcho}), that echo tokens
 * without log-probabilities ({@link #nullPromptLogprobs}) or that refuse {@code max_tokens: 0}
 * ({@link #refuseZeroMaxTokens}).
 */
public final class CompletionsStandIn {

    /** The generated token's text (one is generated when max_tokens is 1 or more). */
    public static final String GENERATED = " the";

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile String bos;
    private volatile boolean ignoreEcho;
    private volatile boolean refuseZeroMaxTokens;
    private volatile boolean nullPromptLogprobs;
    private final Map<String, AtomicInteger> prompts = new ConcurrentHashMap<>();
    private final List<JsonNode> bodies = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Prepends this BOS token to every prompt's tokens (null: none), as Llama tokenisers do. */
    public CompletionsStandIn bos(String token) {
        this.bos = token;
        return this;
    }

    /** Answers as a server without echo: only the generated token, and text without the prompt. */
    public CompletionsStandIn ignoreEcho(boolean on) {
        this.ignoreEcho = on;
        return this;
    }

    /** Answers {@code max_tokens: 0} with HTTP 400, as vLLM's validation does. */
    public CompletionsStandIn refuseZeroMaxTokens(boolean on) {
        this.refuseZeroMaxTokens = on;
        return this;
    }

    /** Echoes the prompt's tokens with null log-probabilities, as servers that echo only the text do. */
    public CompletionsStandIn nullPromptLogprobs(boolean on) {
        this.nullPromptLogprobs = on;
        return this;
    }

    /** How many times each prompt text was answered. */
    public Map<String, AtomicInteger> prompts() {
        return prompts;
    }

    /** The request bodies received. */
    public List<JsonNode> bodies() {
        return bodies;
    }

    /** The stand-in's tokens of a text: words with their leading whitespace, {@code <|...|>} whole. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int j = i;
            if (text.startsWith("<|", i) && text.indexOf("|>", i) > 0) {
                j = text.indexOf("|>", i) + 2;
            } else {
                while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
                    j++;
                }
                while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && !text.startsWith("<|", j)) {
                    j++;
                }
            }
            out.add(text.substring(i, j));
            i = j;
        }
        return out;
    }

    /** The log-probability of {@code token} after {@code previous}: from -0.05 to -4.05. */
    public static double logprob(String previous, String token) {
        return -(0.05 + Math.floorMod((previous + "\u0000" + token).hashCode(), 401) / 100.0);
    }

    /** The answer (status 200) to a request, or null with the status to send in {@code refusal}. */
    String[] answer(JsonNode request) throws com.fasterxml.jackson.core.JsonProcessingException {
        bodies.add(request);
        int maxTokens = request.path("max_tokens").asInt(16);
        if (maxTokens == 0 && refuseZeroMaxTokens) {
            return new String[] {"400", "{\"object\": \"error\", \"message\": \"max_tokens must be at least 1, got"
                    + " 0.\", \"type\": \"BadRequestError\", \"param\": null, \"code\": 400}"};
        }
        String prompt = request.path("prompt").asText();
        prompts.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
        boolean echo = request.path("echo").asBoolean(false) && !ignoreEcho;
        List<String> promptTokens = new ArrayList<>();
        if (bos != null) {
            promptTokens.add(bos);
        }
        promptTokens.addAll(tokenize(prompt));
        List<String> generated = maxTokens > 0 ? List.of(GENERATED) : List.of();
        List<String> shown = new ArrayList<>(echo ? promptTokens : List.of());
        shown.addAll(generated);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", "cmpl-stand-in").put("object", "text_completion").put("model",
                request.path("model").asText());
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", (echo ? prompt : "") + String.join("", generated));
        if (request.hasNonNull("logprobs")) {
            ObjectNode lp = choice.putObject("logprobs");
            ArrayNode tokens = lp.putArray("tokens");
            ArrayNode logprobs = lp.putArray("token_logprobs");
            ArrayNode offsets = lp.putArray("text_offset");
            List<String> all = new ArrayList<>(promptTokens);
            all.addAll(generated);
            int offset = 0;
            int from = all.size() - shown.size();
            for (int i = 0; i < all.size(); i++) {
                if (i >= from) {
                    tokens.add(all.get(i));
                    if (i == 0 || (nullPromptLogprobs && i < promptTokens.size())) {
                        logprobs.addNull();
                    } else {
                        logprobs.add(logprob(all.get(i - 1), all.get(i)));
                    }
                    offsets.add(offset);
                }
                if (i >= from || echo) {
                    offset += all.get(i).codePointCount(0, all.get(i).length()); // Python's len, as vLLM
                }
            }
            lp.putArray("top_logprobs");
        }
        choice.put("finish_reason", "length");
        answer.putObject("usage").put("prompt_tokens", promptTokens.size()).put("completion_tokens",
                generated.size()).put("total_tokens", promptTokens.size() + generated.size());
        return new String[] {"200", JSON.writeValueAsString(answer)};
    }
}
