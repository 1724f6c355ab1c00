package org.admap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.store.RunDirectory;

/**
 * Six conversational instructions (system, user, assistant, user; the first user turn of
 * {@code conv-0} carries script and image payloads) and one plain prompt, mapped and reported.
 * Public for admap-cli's browser test, through this module's test jar.
 */
public final class Conversations {

    /** The first user turn of conv-0: markup that would set window.__pwned if it ever ran. */
    public static final String PAYLOAD = "Explain <script>window.__pwned='turn'</script><img src=x"
            + " onerror=\"window.__pwned='img'\"> please";

    private Conversations() {
    }

    /** Writes the data to {@code dir/conv.jsonl}, maps it into {@code dir/run} and reports it; returns the run. */
    public static Path run(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ObjectNode row = json.createObjectNode();
            row.put("id", "conv-" + i);
            ArrayNode prompt = row.putArray("prompt");
            prompt.addObject().put("role", "system").put("content", "You are terse.");
            prompt.addObject().put("role", "user").put("content", i == 0 ? PAYLOAD : "Question " + i);
            prompt.addObject().put("role", "assistant").put("content", "Answer " + i);
            prompt.addObject().put("role", "user").put("content", "And then " + i + "?");
            row.putArray("chosen").addObject().put("role", "assistant").put("content", "good " + i);
            row.putArray("rejected").addObject().put("role", "assistant").put("content", "bad " + i);
            row.put("score_chosen", 5 + i % 3).put("score_rejected", i % 4);
            lines.add(json.writeValueAsString(row));
        }
        lines.add("{\"id\": \"plain\", \"prompt\": \"Say hi.\", \"chosen\": \"hi\", \"rejected\": \"no\","
                + " \"score_chosen\": 6, \"score_rejected\": 1}");
        Path data = dir.resolve("conv.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        Path run = ReportedRun.map(data, dir.resolve("run"));
        ReportedRun.report(run, RunReport.Settings.defaults(new RunDirectory(run)));
        return run;
    }
}
