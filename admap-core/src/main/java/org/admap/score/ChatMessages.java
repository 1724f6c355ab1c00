package org.admap.score;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import org.admap.model.Turn;

/**
 * A conversational prompt's turns ({@link ScoreTask#turns}) as the {@code messages} of a chat
 * API request, for the scorers that send the dialogue itself to a model (a reward model's
 * chat template, a reference writer). Chat APIs know the roles {@code system}, {@code user}
 * and {@code assistant}; a turn of another role (LLaMA-Factory's {@code function_call} and
 * {@code observation}) is sent under the closest of them, an assistant's call or a user
 * message, with its own role as a first line, so that no server refuses the request and no
 * turn is lost.
 */
public final class ChatMessages {

    private ChatMessages() {
    }

    /**
     * Appends the turns to a request's {@code messages}, the leading system turns joined onto
     * {@code system} when one is given (a request has one system message first).
     *
     * @param system the scorer's own system message, or null for none
     */
    public static void append(ArrayNode messages, String system, List<Turn> turns) {
        int i = 0;
        StringBuilder head = system == null ? null : new StringBuilder(system);
        while (i < turns.size() && turns.get(i).role().equals("system")) {
            head = head == null ? new StringBuilder() : head.append("\n\n");
            head.append(turns.get(i).content());
            i++;
        }
        if (head != null) {
            messages.addObject().put("role", "system").put("content", head.toString());
        }
        for (; i < turns.size(); i++) {
            Turn t = turns.get(i);
            String role = t.role();
            switch (role) {
                case "system", "user", "assistant" -> messages.addObject().put("role", role).put("content",
                        t.content());
                case "function_call" -> messages.addObject().put("role", "assistant")
                        .put("content", "[" + role + "]\n" + t.content());
                default -> messages.addObject().put("role", "user")
                        .put("content", (role.isBlank() ? "" : "[" + role + "]\n") + t.content());
            }
        }
    }
}
