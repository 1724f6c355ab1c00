package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a bad value holds, the error about it is one line that names the file, the line
 * and the field, and shows the value in whole characters.
 */
class ErrorMessageProperties {

    private static Path dir;

    @BeforeContainer
    static void createFolder() throws IOException {
        dir = Files.createTempDirectory("admap-errors");
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<String> anyText() {
        // Valid code points from every plane, with line breaks and other controls made frequent.
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of((int) '\n', (int) '\r', 0x85, 0x2028, 0x2029, (int) '\t', 0)),
                Tuple.of(4, Arbitraries.integers().between(0x1F600, 0x1F64F)),
                Tuple.of(10, Arbitraries.integers().between(0, 0x10FFFF)
                        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)));
        return codePoints.list().ofMaxSize(60).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Property(tries = 300)
    void nonNumericScoreGivesOneLineNamingFileLineAndField(@ForAll("anyText") String text) throws IOException {
        String value = "x" + text; // never a number
        ObjectNode response = JsonSupport.MAPPER.createObjectNode().put("text", "a").put("score", value);
        ObjectNode row = JsonSupport.MAPPER.createObjectNode().put("prompt", "p");
        row.putArray("responses").add(response);
        Path file = dir.resolve("scores.jsonl");
        Files.writeString(file, "{\"prompt\": \"p\", \"responses\": [\"ok\"]}\n"
                + JsonSupport.MAPPER.writeValueAsString(row) + "\n");

        IngestException e = catchThrowableOfType(IngestException.class, () -> TestFiles.readAll(file));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith(file + ":2: field 'responses[0].score': expected a number, got \"x")
                .doesNotContain("\n", "\r");
        assertThat(hasLoneSurrogate(e.getMessage())).as("a character cut in half in %s", e.getMessage()).isFalse();
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
