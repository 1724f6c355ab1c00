package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader must change nothing but speed: for any block of lines, scanning
 * with it first gives exactly what Jackson alone gives, line by line (the same refusal, or
 * the same ids, offsets, score and label bits and kept literals).
 */
class PlainRowScannerTest {

    @Property(tries = 3000)
    void plainReaderFirstGivesWhatJacksonAloneGives(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] block = block(r);
        String expected = scan(block, false);
        Statistics.collect(expected.equals("refused") ? "refused" : "read");
        assertThat(scan(block, true)).as("block %s", new String(block, StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    @Test
    void theCommonShapeIsReadByHandNotLeftToJackson() throws Exception {
        String line = "{\"id\":\"gen-0\",\"prompt\":\"Say, \\\"hi\\\"\",\"responses\":[{\"text\":\"Hi \u00e9\u4e16"
                + " \\ud83d\\ude00 there\",\"score\":4.6,\"label\":2,\"model\":\"beta-13b\"},{\"text\":\"x\","
                + "\"score\":-0.25,\"label\":null,\"model\":null},\"plain text\",{\"text\":\"y\","
                + "\"score\":0.30000000000000004,"
                + "\"label\":-2.5E-3}],\"meta\":{\"a\":[1,2e5,true,null]}}\r\n";
        byte[] buf = line.getBytes(StandardCharsets.UTF_8);
        ScannedChunk chunk = new ScannedChunk(0, 0, buf.length);

        int next = new PlainRowScanner(new PromptBudget(1 << 20), true).scanLine(buf, 0, buf.length, 0, chunk);

        assertThat(next).isEqualTo(buf.length);
        assertThat(chunk.items).isEqualTo(1);
        assertThat(chunk.ids[0]).isEqualTo("gen-0");
        assertThat(Arrays.copyOf(chunk.scores, chunk.responses)).containsExactly(4.6, -0.25, Double.NaN,
                0.30000000000000004);
        assertThat(Arrays.copyOf(chunk.labels, chunk.responses)).containsExactly(2.0, Double.NaN, Double.NaN, -2.5E-3);
        assertThat(chunk.prompt(0)).isEqualTo("Say, \"hi\"");
        assertThat(Arrays.copyOf(chunk.models, chunk.responses)).containsExactly(0, -1, -1, -1);
        assertThat(chunk.modelCount).isEqualTo(1);
        assertThat(new String(chunk.modelLiterals[0], StandardCharsets.UTF_8)).isEqualTo("\"beta-13b\"");
    }

    @Test
    void whatItDoesNotRecogniseIsLeftUntouched() throws Exception {
        for (String line : new String[] {
            "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"score\":-0}]}", // integer minus zero
            "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"score\":123456789012345678901}]}", // big integer
            "{\"pro\\u006dpt\":\"p\",\"responses\":[{\"text\":\"a\"}]}", // escaped name
            "{\"prompt\":\"p\",\r\"responses\":[{\"text\":\"a\"}]}", // carriage return inside
            "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\u00ff\"}]}", // not UTF-8 (as Latin-1 bytes below)
            "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\"}]}{}", // two objects
        }) {
            byte[] buf = line.getBytes(StandardCharsets.ISO_8859_1);
            ScannedChunk chunk = new ScannedChunk(0, 0, buf.length);
            int next = new PlainRowScanner(new PromptBudget(1 << 20), true).scanLine(buf, 0, buf.length, 0, chunk);
            assertThat(next).as(line).isEqualTo(PlainRowScanner.NOT_PLAIN);
            assertThat(chunk.items).isZero();
            assertThat(chunk.responses).isZero();
        }
    }

    /** What a scan of the block keeps, or why it refused it, comparable with equals. */
    private static String scan(byte[] block, boolean plainFirst) {
        ScannedChunk chunk = new ScannedChunk(0, 0, block.length);
        try {
            new RowScanner(ScanJson.FACTORY, org.admap.ingest.Layout.MULTI, new PromptBudget(1 << 20), true,
                    plainFirst, false)
                    .scanBlock(block, 0, block.length, 0, chunk);
        } catch (NotScannable e) {
            return "refused";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < chunk.items; i++) {
            s.append(chunk.ids[i]).append('|').append(chunk.promptOffsets[i]).append('|')
                    .append(chunk.inputOffsets[i]).append('|').append(chunk.responseEnds[i]).append('|')
                    .append(chunk.promptLiterals[i]).append('|').append(chunk.inputLiterals[i]).append('\n');
        }
        for (int i = 0; i < chunk.responses; i++) {
            s.append(Double.doubleToRawLongBits(chunk.scores[i])).append('/')
                    .append(Double.doubleToRawLongBits(chunk.labels[i])).append('/')
                    .append(model(chunk, i)).append(' ');
        }
        s.append('\n').append(Arrays.toString(Arrays.copyOf(chunk.literals, chunk.literalsSize)));
        return s.toString();
    }

    /** The decoded model of response {@code i}, or {@code -} for none. */
    private static String model(ScannedChunk chunk, int i) {
        int m = chunk.models[i];
        if (m < 0) {
            return "-";
        }
        try {
            return "<" + JsonStrings.at(chunk.modelLiterals[m], 0, chunk.modelLiterals[m].length) + ">";
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    // --- random blocks: well-formed rows of every variety, and in a third of the blocks oddities too ---

    private static byte[] block(Random r) {
        return new Blocks(r, r.nextInt(3) == 0).block();
    }

    /** Writes random blocks; {@code odd} allows what is not valid (which some line may then hold). */
    private record Blocks(Random r, boolean odd) {

        byte[] block() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int lines = 1 + r.nextInt(4);
            for (int l = 0; l < lines; l++) {
                if (r.nextInt(8) == 0) {
                    out.writeBytes(utf8(pick("", " ", "\t", "\r")));
                } else {
                    out.writeBytes(row());
                }
                out.writeBytes(utf8(r.nextInt(6) == 0 ? "\r\n" : "\n"));
            }
            byte[] bytes = out.toByteArray();
            if (r.nextInt(3) == 0) {
                bytes = Arrays.copyOf(bytes, bytes.length - 1); // no final newline
            }
            if (odd && r.nextInt(2) == 0 && bytes.length > 0) {
                bytes = mutate(bytes);
            }
            return bytes;
        }

        /** Replaces, inserts or deletes one byte. */
        private byte[] mutate(byte[] bytes) {
            int at = r.nextInt(bytes.length);
            byte[] junk = {'{', '}', '[', ']', '"', ',', ':', '\\', ' ', '\r', '\n', '0', '-', '.', 'e', 'n',
                (byte) 0xFF, (byte) 0xC3, (byte) 0x80, 0x01};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(bytes, 0, at);
            switch (r.nextInt(3)) {
                case 0 -> out.write(junk[r.nextInt(junk.length)]);
                case 1 -> {
                    out.write(junk[r.nextInt(junk.length)]);
                    out.write(bytes[at]);
                }
                default -> {
                }
            }
            out.write(bytes, at + 1, bytes.length - at - 1);
            return out.toByteArray();
        }

        private byte[] row() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String ws = pick("", "", "", " ", "\t", "  ");
            out.writeBytes(utf8("{" + ws));
            boolean first = true;
            String[] fields = {"id", "prompt", "input", "reference", "responses", "meta"};
            for (int f = 0; f <= fields.length; f++) {
                boolean required = f == 1 || f == 4;
                if (f == fields.length ? !(odd && r.nextInt(6) == 0) : r.nextInt(required ? (odd ? 15 : 1000)
                        : 3) == 0) {
                    continue;
                }
                String name = f < fields.length ? fields[f] : pick("prompt", "id", "responses", "extra");
                if (!first) {
                    out.writeBytes(utf8("," + ws));
                }
                first = false;
                out.writeBytes(utf8("\"" + name + "\"" + ws + ":" + ws));
                out.writeBytes(value(name));
                out.writeBytes(utf8(ws));
            }
            out.writeBytes(utf8("}"));
            return out.toByteArray();
        }

        private byte[] value(String field) {
            return switch (field) {
                case "id" -> odd && r.nextInt(3) == 0 ? utf8(pick("-5", "007", "1.5", "12345678901234567890", "true",
                        "[1]")) : r.nextInt(3) > 0 ? string() : utf8(pick("\"a1\"", "\"gen-" + r.nextInt(5) + "\"",
                        "\"  \"", "\"\"", "\"\u00e9t\u00e9\"", "\"x\\ty\"", "7", "0", "123456789012345678", "null"));
                case "prompt" -> odd && r.nextInt(12) == 0 ? utf8(pick("5", "null", "[\"a\"]")) : string();
                case "input" -> r.nextInt(3) == 0 ? utf8(pick("null", "\"\"", odd ? "4" : "null")) : string();
                case "reference" -> r.nextInt(3) == 0 ? utf8(pick("null", odd ? "[]" : "null")) : string();
                case "responses" -> responses();
                default -> other(0);
            };
        }

        private byte[] responses() {
            if (odd && r.nextInt(25) == 0) {
                return utf8(pick("[]", "{}", "\"a\"", "null"));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('[');
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.writeBytes(utf8(pick(",", ", ", " ,\t")));
                }
                if (r.nextInt(10) == 0) {
                    out.writeBytes(odd && r.nextInt(4) == 0 ? utf8(pick("1", "null", "[]")) : string());
                    continue;
                }
                out.write('{');
                boolean first = true;
                for (String name : new String[] {"text", "score", "label", "model", "extra", "score"}) {
                    boolean skip = name.equals("text") ? odd && r.nextInt(20) == 0
                            : name.equals("score") && !first ? !(odd && r.nextInt(15) == 0) : r.nextInt(4) == 0;
                    if (skip) {
                        continue;
                    }
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    out.writeBytes(utf8("\"" + name + "\":"));
                    out.writeBytes(switch (name) {
                        case "text" -> odd && r.nextInt(15) == 0 ? utf8("3") : string();
                        case "score", "label" -> number();
                        case "model" -> utf8(pick("\"m\"", "null", odd ? "3" : "null", "\"m2\"", "\"m\\u0032\"",
                                "\"\\\"q\\\" \u00e9\""));
                        default -> other(0);
                    });
                }
                out.write('}');
            }
            out.write(']');
            return out.toByteArray();
        }

        private byte[] number() {
            return switch (r.nextInt(5)) {
                case 0 -> utf8(Integer.toString(r.nextInt(11) - 1));
                case 1 -> utf8(Double.toString(Math.round(r.nextDouble() * 1000) / 100.0 * (r.nextBoolean() ? 1 : -1)));
                case 2 -> utf8(Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(12) - 6)));
                case 3 -> utf8(pick("-0", "-0.0", "0.0", "1e2", "1E-2", "2.5e+3", "0.30000000000000004", "null",
                        "123456789012345", "1234567890123456", "0.000000000000001", "9007199254740993",
                        "0.1000000000000000055511151231257827", "1.5e400"));
                default -> odd ? utf8(pick("00", "01", "1.", ".5", "-", "NaN", "\"4.5\"", "true", "4.5x"))
                        : utf8(Integer.toString(r.nextInt(3)));
            };
        }

        private byte[] other(int depth) {
            if (depth > 3) {
                return utf8("1");
            }
            return switch (r.nextInt(7)) {
                case 0 -> string();
                case 1 -> number();
                case 2 -> utf8(odd ? pick("true", "false", "null", "nul", "tru") : pick("true", "false", "null"));
                case 3 -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(utf8("{\"k\":"));
                    out.writeBytes(other(depth + 1));
                    out.writeBytes(utf8(",\"k2\" : "));
                    out.writeBytes(other(depth + 1));
                    out.write('}');
                    yield out.toByteArray();
                }
                case 4 -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write('[');
                    out.writeBytes(other(depth + 1));
                    out.write(',');
                    out.writeBytes(other(depth + 1));
                    out.write(']');
                    yield out.toByteArray();
                }
                case 5 -> utf8(odd ? pick("{}", "[]", "[ ]", "{ }", "[1,]", "{\"a\"}") : pick("{}", "[]", "[ ]", "{ " +
                        "}"));
                default -> string();
            };
        }

        /** A JSON string literal, now and then with escapes, multi-byte UTF-8, or (when odd) broken bytes. */
        private byte[] string() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('"');
            int n = r.nextInt(30);
            boolean fancy = r.nextInt(3) == 0;
            for (int i = 0; i < n; i++) {
                int k = fancy ? r.nextInt(odd ? 40 : 32) : 0;
                if (k < 25) {
                    out.write("abc ,.#x".charAt(r.nextInt(8)));
                } else {
                    out.writeBytes(switch (k) {
                        case 25 -> utf8("\\\"");
                        case 26 -> utf8("\\\\");
                        case 27 -> utf8(pick("\\n", "\\t", "\\/", "\\b", "\\f", "\\r"));
                        case 28 -> utf8(pick("\\u00e9", "\\ud83d\\ude00", "\\ud83d", odd ? "\\u12" : "\\u0041"));
                        case 29 -> utf8("\u00e9");
                        case 30 -> utf8("\u4e16");
                        case 31 -> utf8("\ud83d\ude00");
                        case 32 -> new byte[] {(byte) 0xFF};
                        case 33 -> new byte[] {(byte) 0xC0, (byte) 0x80}; // overlong
                        case 34 -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // surrogate
                        case 35 -> new byte[] {(byte) 0x80};
                        case 36 -> new byte[] {(byte) 0xE4, (byte) 0xB8}; // cut short
                        case 37 -> new byte[] {0x01};
                        case 38 -> new byte[] {'\t'};
                        default -> utf8(pick("\\x", "\\uZZZZ"));
                    });
                }
            }
            if (r.nextInt(4) == 0) {
                out.writeBytes(utf8("abcdefghij klmnop qrstuv wxyz, long enough for whole words at a time"));
            }
            out.write('"');
            return out.toByteArray();
        }

        private String pick(String... options) {
            return options[r.nextInt(options.length)];
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
