package org.admap.model;

import java.util.Objects;

/**
 * One chat message of a multi-turn prompt, as TRL's conversational datasets, LLaMA-Factory's
 * sharegpt files and OpenAI's chat API write them.
 *
 * <p>Roles are kept as the input spelt them after one normalisation: sharegpt's
 * {@code human}/{@code gpt}/{@code function_call}/{@code observation} become
 * {@code user}/{@code assistant}/{@code function_call}/{@code observation}, so that a
 * judge can send the turns as chat messages and exporters can write them back in either
 * convention.
 *
 * @param role    {@code system}, {@code user}, {@code assistant}, or a tool role; never null
 * @param content the message text; never null
 */
public record Turn(String role, String content) {

    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** A user message. */
    public static Turn user(String content) {
        return new Turn("user", content);
    }
}
