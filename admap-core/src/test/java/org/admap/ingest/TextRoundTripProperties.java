package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.admap.model.Response;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Any text written into a row as prompt or response text reads back identical. */
class TextRoundTripProperties {

    private static Path dir;

    @BeforeContainer
    static void createFolder() throws IOException {
        dir = Files.createTempDirectory("admap-roundtrip");
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Strings of valid Unicode scalar values from every plane (a lone surrogate cannot be
     * written in UTF-8, so it is no text a file can hold), with the characters that trouble
     * readers made frequent: line breaks of every kind, quotes, separators, controls, NUL,
     * byte-order marks, RTL and combining marks, emoji.
     */
    @Provide
    Arbitrary<String> text() {
        return codePoints(true);
    }

    /** As {@link #text()} without NUL, which the run store is not asked to keep. */
    @Provide
    Arbitrary<String> textWithoutNul() {
        return codePoints(false);
    }

    private static Arbitrary<String> codePoints(boolean withNul) {
        Arbitrary<Integer> special = Arbitraries.of((int) '\n', (int) '\r', (int) '\t', (int) '"', (int) '\\',
                (int) ',', (int) '[', (int) '{', 0x85, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0x200D, 0x202E, (int) ' ');
        Arbitrary<Integer> any = Arbitraries.integers().between(1, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        List<Tuple.Tuple2<Integer, Arbitrary<Integer>>> kinds = new ArrayList<>(List.of(
                Tuple.of(5, special),
                Tuple.of(3, Arbitraries.integers().between(1, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x7F, 0x9F)),
                Tuple.of(3, Arbitraries.integers().between(0x0590, 0x06FF)),
                Tuple.of(2, Arbitraries.integers().between(0x0300, 0x036F)),
                Tuple.of(3, Arbitraries.integers().between(0x1F300, 0x1FAFF)),
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(6, any)));
        if (withNul) {
            kinds.add(Tuple.of(1, Arbitraries.just(0)));
        }
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(kinds);
        return codePoint.list().ofMaxSize(80).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    private static ObjectNode row(String prompt, String response) {
        ObjectNode row = JsonSupport.MAPPER.createObjectNode().put("prompt", prompt);
        row.putArray("responses").addObject().put("text", response).put("score", 1);
        return row;
    }

    @Property(tries = 300)
    void anyTextReadsBackIdenticalFromJsonLines(@ForAll("text") String prompt, @ForAll("text") String response,
                                                @ForAll boolean escapeNonAscii) throws IOException {
        ObjectWriter writer = JsonSupport.MAPPER.writer();
        if (escapeNonAscii) {
            writer = writer.with(JsonWriteFeature.ESCAPE_NON_ASCII);
        }
        Path file = dir.resolve("rows.jsonl");
        // A row before and after, so that the text must not swallow or split lines.
        Files.writeString(file, writer.writeValueAsString(row("before", "x")) + "\n"
                + writer.writeValueAsString(row(prompt, response)) + "\n"
                + writer.writeValueAsString(row("after", "y")) + "\n");

        List<Item> items = TestFiles.readAll(file);

        assertThat(items).hasSize(3);
        assertThat(items.get(1).prompt()).isEqualTo(prompt);
        assertThat(items.get(1).responses()).containsExactly(new Response(response, 1, Response.ABSENT, null));
        assertThat(items.get(2).prompt()).isEqualTo("after");
    }

    @Property(tries = 300)
    void anyTextReadsBackIdenticalFromCsv(@ForAll("text") String prompt, @ForAll("text") String response)
            throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord("prompt", "response", "score");
            printer.printRecord("before", "x", 1);
            printer.printRecord(prompt, response, 2);
            printer.printRecord("after", "y", 3);
        }
        Path file = TestFiles.write(dir, "rows.csv", out.toString());

        List<Item> items = TestFiles.readAll(file);

        assertThat(items).extracting(Item::prompt).containsExactly("before", prompt, "after");
        assertThat(items.get(1).responses()).containsExactly(new Response(response, 2, Response.ABSENT, null));
    }

    @Property(tries = 25)
    void anyTextWithoutNulReadsBackIdenticalFromTheRunStore(@ForAll("textWithoutNul") String prompt,
                                                            @ForAll("textWithoutNul") String response)
            throws IOException {
        Path sub = Files.createTempDirectory(dir, "store");
        Path file = TestFiles.write(sub, "rows.jsonl", JsonSupport.MAPPER.writeValueAsString(row(prompt, response))
                + "\n");

        List<Item> stored = new ArrayList<>();
        try (RunStore store = TestFiles.ingest(sub.resolve("run.duckdb"), IngestOptions.defaults(), file)) {
            store.forEachItem(RunStore.INPUT, null, k -> stored.add(k.item()));
        }

        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).prompt()).isEqualTo(prompt);
        assertThat(stored.get(0).responses()).containsExactly(new Response(response, 1, Response.ABSENT, null));
    }
}
