package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.admap.internal.ingest.scan.JsonStrings;
import org.admap.internal.map.JsonCsvField;
import org.admap.internal.map.MapCsv;
import org.admap.internal.map.Utf8Bytes;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A prompt's CSV field transcoded from its JSON string literal ({@link JsonCsvField}, and
 * {@link MapCsv#promptField} with its fallback) has exactly the bytes of the String path:
 * the literal decoded, printed by commons-csv as a record's second field, encoded as UTF-8.
 */
class JsonCsvFieldTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 3_000)
    void anyTextWrittenByJacksonIsTranscodedAsTheStringPathWritesIt(@ForAll("text") String text) throws IOException {
        byte[] literal = JSON.writeValueAsBytes(text);
        byte[] expected = commonsCsv(text);

        assertThat(promptField(literal)).as(text).isEqualTo(expected);
        // Jackson escapes controls other than \b \t \n \f \r, and surrogate pairs, as \\uXXXX, which is refused
        if (!new String(literal, StandardCharsets.UTF_8).contains("\\u")) {
            assertThat(transcoded(literal)).as(text).isEqualTo(expected);
        }
    }

    @Property(tries = 1_000)
    void aLiteralAmidOtherBytesIsReadToItsClosingQuoteOnly(@ForAll("text") String text) throws IOException {
        byte[] literal = JSON.writeValueAsBytes(text);
        byte[] buf = new byte[literal.length + 20];
        Arrays.fill(buf, (byte) 'x');
        System.arraycopy(literal, 0, buf, 7, literal.length);
        buf[7 + literal.length] = '"'; // what follows the literal is no part of it

        Utf8Bytes out = new Utf8Bytes(4);
        out.appendAscii("ab,");
        if (!JsonCsvField.append(buf, 7, buf.length, out)) {
            assertThat(new String(literal, StandardCharsets.UTF_8)).contains("\\u");
            return;
        }
        byte[] written = Arrays.copyOf(out.array(), out.size());
        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo("ab," + new String(commonsCsv(text), StandardCharsets.UTF_8));
    }

    /** Literals as a file may hold them: raw or escaped characters, any mix, and bytes that are not UTF-8. */
    @Property(tries = 5_000)
    void anyLiteralGivesTheBytesOfTheStringPath(@ForAll("literals") byte[] literal) throws IOException {
        String decoded;
        try {
            decoded = JsonStrings.at(literal, 0, literal.length);
        } catch (IOException e) {
            return; // not a literal the scan would keep: no row is written for it
        }
        assertThat(promptField(literal)).isEqualTo(stringPath(decoded));
        if (JsonCsvField.append(literal, 0, literal.length, new Utf8Bytes(1))) {
            assertThat(transcoded(literal)).isEqualTo(stringPath(decoded));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"\\u00e9t\\u00e9\"", "\"\\ud83d\\ude00 emoji\"", "\"lone \\ud800 surrogate\"", "\"\\u0022quoted\\u0022\"",
        "\"tab\\there\\u0000nul\"", "\"a\\x\"", "\"raw\ttab\""})
    void literalsThatNeedDecodingAreRefusedAndTakeTheStringPath(String literal) throws IOException {
        byte[] bytes = literal.getBytes(StandardCharsets.UTF_8);
        assertThat(JsonCsvField.append(bytes, 0, bytes.length, new Utf8Bytes(8))).isFalse();
        String decoded;
        try {
            decoded = JsonStrings.at(bytes, 0, bytes.length);
        } catch (IOException e) {
            return; // an invalid escape: the String path fails as it always did
        }
        assertThat(promptField(bytes)).isEqualTo(stringPath(decoded));
    }

    @Test
    void bytesThatAreNotWellFormedUtf8AreRefusedAndReplacedAsJavaDecodesThem() throws IOException {
        byte[][] cases = {
            {'"', 'a', (byte) 0xFF, 'b', '"'}, // never a UTF-8 byte
            {'"', (byte) 0xC0, (byte) 0xAF, '"'}, // overlong '/'
            {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // a surrogate, encoded
            {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
            {'"', 'x', (byte) 0xE2, (byte) 0x82, '"'}, // cut short by the closing quote
            {'"', (byte) 0x80, ',', '"'}, // a lone continuation byte
        };
        for (byte[] literal : cases) {
            assertThat(JsonCsvField.append(literal, 0, literal.length, new Utf8Bytes(8))).isFalse();
            String decoded = JsonStrings.at(literal, 0, literal.length);
            assertThat(decoded).contains("\uFFFD");
            assertThat(promptField(literal)).isEqualTo(stringPath(decoded));
        }
    }

    @Test
    void quotingFollowsCommonsCsvForASecondField() throws IOException {
        String[][] cases = {
            {"", ""}, {"plain", "plain"}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""},
            {"#tag", "\"#tag\""}, {"!bang", "\"!bang\""}, {"$dollar", "$dollar"}, {" lead", "\" lead\""},
            {"trail ", "\"trail \""}, {"tab\tin", "tab\tin"}, {"\ttab", "\"\ttab\""},
            {"line\nbreak", "\"line\nbreak\""},
            {"cr\r", "\"cr\r\""}, {"caf\u00e9", "caf\u00e9"}, {"\u00e9t\u00e9 ", "\"\u00e9t\u00e9 \""},
            {"back\\slash/", "back\\slash/"}, {"\u4e2d,\u6587", "\"\u4e2d,\u6587\""}, {"\ud83d\ude00", "\ud83d\ude00"},
        };
        for (String[] c : cases) {
            byte[] literal = c[0].equals("\ud83d\ude00")
                    ? "\"\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8) // Jackson would write \\uD83D\\uDE00
                    : JSON.writeValueAsBytes(c[0]);
            assertThat(new String(transcoded(literal), StandardCharsets.UTF_8)).as(c[0]).isEqualTo(c[1]);
            assertThat(commonsCsv(c[0])).as(c[0]).isEqualTo(c[1].getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFieldLongerThanTheBufferGrowsIt() throws IOException {
        String text = "word, ".repeat(10_000) + "\u00e9\"end\"";
        byte[] literal = JSON.writeValueAsBytes(text);
        assertThat(transcoded(literal)).isEqualTo(commonsCsv(text));
    }

    @Test
    void noLiteralAtTheGivenByteIsRefused() {
        byte[] bytes = "x\"abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(JsonCsvField.append(bytes, 0, bytes.length, new Utf8Bytes(8))).isFalse();
        assertThat(JsonCsvField.append(bytes, 1, bytes.length, new Utf8Bytes(8))).as("unterminated").isFalse();
        assertThat(JsonCsvField.append(bytes, 1, 3, new Utf8Bytes(8))).as("ends past the range").isFalse();
    }

    /**
     * Strings of valid Unicode scalar values from every plane with the characters that CSV
     * quoting and JSON escaping care about made frequent (Jackson, as a file's writer, cannot
     * write a lone surrogate as UTF-8).
     */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> special = Arbitraries.of((int) '"', (int) '\\', (int) ',', (int) '#', (int) ' ', (int) '!',
                (int) '\n', (int) '\r', (int) '\t', (int) '/', 0x7F, 0x85, 0x2028, 0xFEFF, 0xFFFD);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(4, special),
                Tuple.of(2, Arbitraries.integers().between(0, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(1, any));
        return codePoint.list().ofMaxSize(40)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    /** JSON string literals built of pieces: plain ASCII, UTF-8, every escape, and arbitrary bytes. */
    @Provide
    Arbitrary<byte[]> literals() {
        Arbitrary<String> pieces = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12)
                        .map(s -> s.replace("\\", "").replace("\"", ""))),
                Tuple.of(3, Arbitraries.of("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", ",", "#", " ")),
                Tuple.of(2, Arbitraries.of("\\u00e9", "\\u0022", "\\ud83d\\ude00", "\\ud800", "\\u000a", "\\u0041")),
                Tuple.of(2, Arbitraries.of("\u00e9", "\u4e2d\u6587", "\ud83d\ude00", "\u2028", "\uFFFD")),
                Tuple.of(1, Arbitraries.of("\t", "\n", "\u0000")));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(3);
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                Tuple.of(8, pieces.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, raw.map(JsonCsvFieldTest::withoutQuotesOrBackslashes)));
        return piece.list().ofMaxSize(12).map(JsonCsvFieldTest::literal);
    }

    private static byte[] withoutQuotesOrBackslashes(byte[] bytes) {
        byte[] b = bytes.clone();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                b[i] = 'q';
            }
        }
        return b;
    }

    private static byte[] literal(List<byte[]> pieces) {
        List<Byte> bytes = new ArrayList<>();
        bytes.add((byte) '"');
        for (byte[] p : pieces) {
            for (byte b : p) {
                bytes.add(b);
            }
        }
        bytes.add((byte) '"');
        byte[] literal = new byte[bytes.size()];
        for (int i = 0; i < literal.length; i++) {
            literal[i] = bytes.get(i);
        }
        return literal;
    }

    /** The reference: commons-csv printing the text as a record's second field, without the delimiter, UTF-8. */
    private static byte[] commonsCsv(String text) throws IOException {
        StringBuilder sb = new StringBuilder();
        CSVFormat.RFC4180.print(text, sb, false);
        assertThat(sb.charAt(0)).isEqualTo(',');
        return sb.substring(1).getBytes(StandardCharsets.UTF_8);
    }

    /** MapCsv's String path, which must be the reference too. */
    private static byte[] stringPath(String text) throws IOException {
        Utf8Bytes out = new Utf8Bytes(8);
        MapCsv.field(text, false, out, new StringBuilder());
        byte[] bytes = Arrays.copyOf(out.array(), out.size());
        assertThat(bytes).isEqualTo(commonsCsv(text));
        return bytes;
    }

    private static byte[] transcoded(byte[] literal) {
        Utf8Bytes out = new Utf8Bytes(8);
        assertThat(JsonCsvField.append(literal, 0, literal.length, out)).as("transcoded").isTrue();
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] promptField(byte[] literal) throws IOException {
        Utf8Bytes out = new Utf8Bytes(8);
        MapCsv.promptField(literal, 0, literal.length, org.admap.internal.csv.CsvCells.RAW, out, new StringBuilder());
        return Arrays.copyOf(out.array(), out.size());
    }
}
