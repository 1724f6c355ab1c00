package org.admap.score.likelihood;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.admap.model.TextHash;

/**
 * How an instruction and a response become the one text a completions endpoint reads: a
 * template with {@code {prompt}} and {@code {response}}, where {@code {response}} comes last.
 *
 * <p>A causal model's probability of the response's tokens does not depend on anything after
 * them, so a template with text after {@code {response}} is refused rather than sent with text
 * that cannot change the score (whitespace after it, a file's final newline, is dropped).
 * Only the template's own two placeholders are replaced: braces in the data are left alone.
 *
 * <p>Presets:
 * <ul>
 *   <li>{@code plain}: {@code {prompt}{response}}, the instruction and the response joined as they
 *       are, as the paper's code does ({@code scores/model_prob.py} concatenates the token ids of
 *       the raw instruction and the raw response, with no chat template and no special tokens).</li>
 *   <li>{@code chatml}: Qwen's and many fine-tunes' {@code <|im_start|>user ... <|im_start|>assistant\n}.</li>
 *   <li>{@code llama3}: Llama 3's header tokens, without {@code <|begin_of_text|>}: the server adds
 *       the model's BOS token itself when it tokenises a completions prompt.</li>
 * </ul>
 *
 * @param name     the preset's name, or {@code file:NAME} for a template read from a file
 * @param template the template text, {@code {response}} at its end
 */
public record LikelihoodTemplate(String name, String template) {

    /** The placeholder of the instruction. */
    public static final String PROMPT = "{prompt}";
    /** The placeholder of the response. */
    public static final String RESPONSE = "{response}";

    /** The paper's: instruction and response joined as they are. */
    public static final LikelihoodTemplate PLAIN = new LikelihoodTemplate("plain", PROMPT + RESPONSE);
    /** ChatML. */
    public static final LikelihoodTemplate CHATML = new LikelihoodTemplate("chatml",
            "<|im_start|>user\n" + PROMPT + "<|im_end|>\n<|im_start|>assistant\n" + RESPONSE);
    /** Llama 3 (and 3.1) instruct, the BOS token left to the server. */
    public static final LikelihoodTemplate LLAMA3 = new LikelihoodTemplate("llama3",
            "<|start_header_id|>user<|end_header_id|>\n\n" + PROMPT
                    + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" + RESPONSE);

    public LikelihoodTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(template, "template");
        template = template.stripTrailing();
        int r = template.indexOf(RESPONSE);
        if (r < 0 || template.indexOf(RESPONSE, r + 1) >= 0) {
            throw new IllegalArgumentException("likelihood template " + name + ": needs " + RESPONSE
                    + " exactly once, found " + count(template, RESPONSE));
        }
        if (r + RESPONSE.length() != template.length()) {
            throw new IllegalArgumentException("likelihood template " + name + ": text after " + RESPONSE + " ('"
                    + abbreviate(template.substring(r + RESPONSE.length())) + "') cannot change the response's"
                    + " log-probability under a causal model: end the template with " + RESPONSE);
        }
        int p = template.indexOf(PROMPT);
        if (p < 0 || template.indexOf(PROMPT, p + 1) >= 0) {
            throw new IllegalArgumentException("likelihood template " + name + ": needs " + PROMPT
                    + " exactly once, before " + RESPONSE + ", found " + count(template, PROMPT));
        }
    }

    /**
     * A preset by name ({@code plain}, {@code chatml}, {@code llama3}), or a template file:
     * anything else is read as a path.
     */
    public static LikelihoodTemplate parse(String nameOrFile) {
        String key = nameOrFile.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "plain" -> PLAIN;
            case "chatml" -> CHATML;
            case "llama3" -> LLAMA3;
            default -> fromFile(Path.of(nameOrFile.strip()));
        };
    }

    /** A template read from a UTF-8 file. */
    public static LikelihoodTemplate fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--likelihood-template '" + file + "' is neither a preset (plain,"
                    + " chatml, llama3) nor a readable file");
        }
        try {
            return new LikelihoodTemplate("file:" + file.getFileName(), Files.readString(file,
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("--likelihood-template " + file + ": cannot read it: " + e.getMessage(),
                    e);
        }
    }

    /** The text before the response: the template up to {@code {response}}, the prompt put in. */
    public String prefix(String prompt) {
        String head = template.substring(0, template.length() - RESPONSE.length());
        int p = head.indexOf(PROMPT);
        return head.substring(0, p) + prompt + head.substring(p + PROMPT.length());
    }

    /** The whole text sent: {@link #prefix} followed by the response. */
    public String render(String prompt, String response) {
        return prefix(prompt) + response;
    }

    /** 16 hex digits of the template's text: part of the scorer's fingerprint, so a changed file is a new cache. */
    public String hash() {
        return TextHash.of(template);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() <= 40 ? one : one.substring(0, 40) + "...";
    }
}
