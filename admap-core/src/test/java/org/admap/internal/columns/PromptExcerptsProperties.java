package org.admap.internal.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.admap.internal.store.ItemDetails;

/**
 * The excerpts {@code map} writes are the ones the report would make from the prompts
 * ({@link ItemDetails#excerpt(String, String, int)}), whichever way a prompt reaches them: a
 * literal of plain ASCII (cut and collapsed in its bytes), any other literal, or an
 * instruction and its input apart; and a file of another map is never used.
 */
class PromptExcerptsProperties {

    private static final String CREATED = "2026-12-07T12:00:00.123456789Z";

    @Property(tries = 200)
    void everyExcerptIsTheReportsExcerptOfItsPrompt(@ForAll @Size(max = 40) List<@From("prompts") String> prompts,
                                                   @ForAll @Size(max = 40) List<@From("prompts") String> inputs,
                                                   @ForAll @IntRange(min = 1, max = 30) int maxChars,
                                                   @ForAll @IntRange(min = 1, max = 4) int pieces)
            throws IOException {
        PromptExcerpts.Builder b = new PromptExcerpts.Builder(pieces, maxChars);
        List<String> expected = new ArrayList<>();
        int per = (prompts.size() + pieces - 1) / pieces;
        for (int p = pieces - 1; p >= 0; p--) { // filled in any order, as map's threads fill them
            PromptExcerpts.Piece piece = b.piece(p);
            for (int i = p * per; i < Math.min(prompts.size(), (p + 1) * per); i++) {
                String prompt = prompts.get(i);
                String input = i < inputs.size() && i % 3 == 0 ? inputs.get(i) : "";
                if (!input.isEmpty()) {
                    piece.add(prompt, input);
                } else if (i % 2 == 0) {
                    byte[] json = ("{\"prompt\":" + literal(prompt) + "}").getBytes(StandardCharsets.UTF_8);
                    piece.addLiteral(json, "{\"prompt\":".length(), json.length);
                } else {
                    piece.add(prompt);
                }
            }
        }
        for (int i = 0; i < prompts.size(); i++) {
            String input = i < inputs.size() && i % 3 == 0 ? inputs.get(i) : "";
            expected.add(ItemDetails.excerpt(prompts.get(i), input, maxChars));
        }
        Path dir = Files.createTempDirectory("excerpts");
        try {
            b.write(dir.resolve(PromptExcerpts.FILE), CREATED, prompts.size());
            try (PromptExcerpts read = PromptExcerpts.open(dir, CREATED, prompts.size())) {
                assertThat(read).isNotNull();
                assertThat(read.maxChars()).isEqualTo(maxChars);
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(read.get(i)).as("item %d: %s", i, prompts.get(i)).isEqualTo(expected.get(i));
                }
            }
        } finally {
            Files.deleteIfExists(dir.resolve(PromptExcerpts.FILE));
            Files.delete(dir);
        }
    }

    /** Mostly plain ASCII with runs of spaces (the literal's fast way), sometimes escapes, unicode, emoji. */
    @Provide
    Arbitrary<String> prompts() {
        Arbitrary<Character> plain = Arbitraries.oneOf(Arbitraries.chars().range('!', '~'), Arbitraries.of(' ', ' '));
        Arbitrary<Character> any = Arbitraries.oneOf(plain, Arbitraries.of('\n', '\t', '"', '\\', '\u00e9', '\u2603',
                '\u00a0', '\u000b', '\f', '\r'));
        Arbitrary<String> emoji = Arbitraries.of("\ud83d\ude00", "a\ud83d\ude00b");
        return Arbitraries.oneOf(
                plain.list().ofMaxSize(120).map(PromptExcerptsProperties::join),
                any.list().ofMaxSize(60).map(PromptExcerptsProperties::join),
                Arbitraries.strings().ofMaxLength(50),
                emoji.list().ofMaxSize(20).map(l -> String.join(" ", l)));
    }

    private static String join(List<Character> chars) {
        StringBuilder b = new StringBuilder();
        chars.forEach(b::append);
        return b.toString();
    }

    private static String literal(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    @Example
    void theExcerptsOfAnotherMapOrAnotherRunAreNotUsed() throws IOException {
        Path dir = Files.createTempDirectory("excerpts");
        try {
            PromptExcerpts.Builder b = new PromptExcerpts.Builder(1, 40);
            b.piece(0).add("one");
            b.write(dir.resolve(PromptExcerpts.FILE), CREATED, 1);
            assertThat(PromptExcerpts.open(dir, "2026-12-07T12:00:01Z", 1)).as("another map's").isNull();
            assertThat(PromptExcerpts.open(dir, CREATED, 2)).as("another count of items").isNull();
            try (PromptExcerpts e = PromptExcerpts.open(dir, CREATED, 1)) {
                assertThat(e.get(0)).isEqualTo("one");
                assertThatThrownBy(() -> e.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
            }
            Files.delete(dir.resolve(PromptExcerpts.FILE));
            assertThat(PromptExcerpts.open(dir, CREATED, 1)).as("none").isNull();
        } finally {
            Files.deleteIfExists(dir.resolve(PromptExcerpts.FILE));
            Files.delete(dir);
        }
    }

    @Example
    void aFileCutShortOrDamagedIsNotUsed() throws IOException {
        Path dir = Files.createTempDirectory("excerpts");
        Path file = dir.resolve(PromptExcerpts.FILE);
        try {
            PromptExcerpts.Builder b = new PromptExcerpts.Builder(1, 40);
            PromptExcerpts.Piece piece = b.piece(0);
            piece.add("a prompt of some length");
            piece.add("and another one");
            b.write(file, CREATED, 2);
            byte[] whole = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
            assertThat(PromptExcerpts.open(dir, CREATED, 2)).as("cut short").isNull();
            byte[] damaged = whole.clone(); // the first excerpt said to end beyond the text, the size still right
            int ends = whole.length - "a prompt of some length".length() - "and another one".length() - 16;
            java.nio.ByteBuffer.wrap(damaged).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(ends, 100);
            Files.write(file, damaged);
            assertThat(PromptExcerpts.open(dir, CREATED, 2)).as("damaged").isNull();
            Files.write(file, whole);
            try (PromptExcerpts e = PromptExcerpts.open(dir, CREATED, 2)) {
                assertThat(e.get(1)).isEqualTo("and another one");
            }
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    @Example
    void excerptsForFewerItemsThanTheRunHasAreNotWritten() {
        PromptExcerpts.Builder b = new PromptExcerpts.Builder(2, 40);
        b.piece(0).add("one");
        assertThatThrownBy(() -> b.write(Path.of("unused"), CREATED, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never given");
        b.piece(1);
        assertThatThrownBy(() -> b.write(Path.of("unused"), CREATED, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 excerpts for 2 items");
    }
}
