package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.admap.model.Item;

/**
 * A JSON-lines file cut into byte ranges anywhere (inside a line, inside a CR LF, on a line
 * start) gives, range after range, exactly the items the whole-file reader gives, each once and
 * in order, whatever the line ends (LF, CR LF, lone CR), blank lines and byte-order mark; and
 * an error in a later range names the file's own line, as the whole-file reader does.
 */
class JsonLinesSplitProperties {

    private static final String[] ENDS = {"\n", "\r\n", "\r"};

    @Provide
    Arbitrary<String> files() {
        Arbitrary<String> row = Arbitraries.integers().between(0, 999).map(i -> "{\"id\": \"r" + i
                + "\", \"prompt\": \"p" + "é".repeat(i % 5) + "\", \"responses\": [{\"text\": \"a\", \"score\": "
                + (i % 7) + "}, {\"text\": \"b\", \"score\": " + (i % 3) + "}]}");
        Arbitrary<String> line = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, row), net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("   ")));
        Arbitrary<String> end = Arbitraries.of(ENDS);
        return net.jqwik.api.Combinators.combine(line, end).as(String::concat).list().ofMinSize(1).ofMaxSize(30)
                .map(ls -> String.join("", ls))
                .flatMap(s -> Arbitraries.of(true, false).map(bom -> (bom ? "\uFEFF" : "")
                        + "{\"id\": \"first\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1},"
                        + " {\"text\": \"b\", \"score\": 2}]}\n" + s));
    }

    @Property(tries = 300)
    void rangesTogetherGiveTheWholeFilesItemsOnceAndInOrder(@ForAll("files") String text,
                                                            @ForAll @IntRange(min = 1, max = 6) int cuts,
                                                            @ForAll long seed) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile("split", ".jsonl");
        try {
            Files.write(file, bytes);
            List<Item> whole = new ArrayList<>();
            try (DatasetReader r = DatasetReader.open(file, IngestOptions.defaults())) {
                for (Item i; (i = r.next()) != null; ) {
                    whole.add(i);
                }
            }
            TreeSet<Long> points = new TreeSet<>();
            java.util.Random random = new java.util.Random(seed);
            for (int i = 0; i < cuts; i++) {
                points.add((long) random.nextInt(bytes.length + 1));
            }
            points.add(0L);
            points.add((long) bytes.length);
            List<Item> split = new ArrayList<>();
            long lastOffset = -1;
            Long from = null;
            for (long to : points) {
                if (from != null) {
                    try (JsonLinesSplit s = JsonLinesSplit.open(file.toString(), opener(bytes), from, to,
                            IngestOptions.defaults())) {
                        for (Item i; (i = s.next()) != null; ) {
                            split.add(i);
                            assertThat(s.rowOffset()).isGreaterThan(lastOffset).isGreaterThanOrEqualTo(from)
                                    .isLessThan(to);
                            lastOffset = s.rowOffset();
                        }
                    }
                }
                from = to;
            }
            // a later range names its items' lines by byte offset: all else is the whole file's
            assertThat(split.stream().map(JsonLinesSplitProperties::sourceless).toList())
                    .containsExactlyElementsOf(whole.stream().map(JsonLinesSplitProperties::sourceless).toList());
            assertThat(split.get(0).source()).isEqualTo(whole.get(0).source());
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 100)
    void anErrorInALaterRangeNamesTheFilesLine(@ForAll @IntRange(min = 1, max = 40) int good,
                                               @ForAll("ends") String ends, @ForAll long seed) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < good; i++) {
            sb.append(i % 4 == 3 ? "" : "{\"id\": \"r" + i + "\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\","
                    + " \"score\": 1}, {\"text\": \"b\", \"score\": 2}]}");
            sb.append(ENDS[random.nextInt(ENDS.length)]);
        }
        sb.append("{\"id\": \"bad\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": \"x\"}]}")
                .append(ends).append("{\"id\": \"after\"}").append(ends);
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile("split-error", ".jsonl");
        try {
            Files.write(file, bytes);
            String expected;
            try (DatasetReader r = DatasetReader.open(file, IngestOptions.defaults())) {
                expected = catchThrowableOfType(IngestException.class, () -> {
                    while (r.next() != null) {
                        continue;
                    }
                }).getMessage();
            }
            long cut = 1 + random.nextInt(bytes.length - 1);
            String message = null;
            for (long[] range : new long[][] {{0, cut}, {cut, bytes.length}}) {
                try (JsonLinesSplit s = JsonLinesSplit.open(file.toString(), opener(bytes), range[0], range[1],
                        IngestOptions.defaults())) {
                    while (s.next() != null) {
                        continue;
                    }
                } catch (IngestException e) {
                    message = e.getMessage();
                    break;
                }
            }
            assertThat(message).isEqualTo(expected).contains("field 'responses[0].score'");
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<String> ends() {
        return Arbitraries.of(ENDS);
    }

    @Example
    void aSkippedRowIsNamedByItsLinesByteOffset() throws IOException {
        String first = "{\"id\": \"a\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1}]}\n";
        byte[] bytes = (first + "{not json}\n" + first).getBytes(StandardCharsets.UTF_8);
        try (JsonLinesSplit s = JsonLinesSplit.open("f.jsonl", opener(bytes), 10, bytes.length,
                IngestOptions.defaults().withSkipBadRows(true))) {
            while (s.next() != null) {
                continue;
            }
            assertThat(s.badRows().count()).isEqualTo(1);
            assertThat(s.badRows().examples()).singleElement().asString()
                    .startsWith("f.jsonl, the line at byte " + first.length() + ": malformed JSON");
        }
    }

    private static Item sourceless(Item i) {
        return new Item(i.id(), i.prompt(), i.input(), i.reference(), i.responses(), null, i.turns());
    }

    private static JsonLinesSplit.Opener opener(byte[] bytes) {
        return offset -> {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            in.skipNBytes(offset);
            return in;
        };
    }
}
