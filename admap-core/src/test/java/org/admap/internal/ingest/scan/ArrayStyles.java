package org.admap.internal.ingest.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * JSON lines rewritten as one JSON array in the shapes writers give it, every literal spelled
 * as it was (escapes, non-ASCII, numbers): only the spaces between tokens change.
 */
final class ArrayStyles {

    /** How the array is laid out. */
    enum Style {
        /** {@code [{...}, {...}]} on one line, as {@code json.dumps(rows)} writes it. */
        ONE_LINE,
        /** {@code [\n{...},\n{...}\n]}: an element per line. */
        LINE_PER_ELEMENT,
        /** Every object and list opened over lines, two spaces a level: {@code json.dump(rows, f, indent=2)}. */
        INDENT_2,
        /** Tabs, CRLF and blank lines at random between tokens. */
        SCATTERED
    }

    private ArrayStyles() {
    }

    /** The rows of {@code jsonLines} (blank lines dropped, a leading byte-order mark kept) as one array. */
    static String of(String jsonLines, Style style, long seed) {
        boolean bom = jsonLines.startsWith("\uFEFF");
        List<String> rows = new ArrayList<>();
        for (String line : (bom ? jsonLines.substring(1) : jsonLines).split("\n")) {
            String row = line.strip();
            if (!row.isEmpty()) {
                rows.add(row);
            }
        }
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(bom ? "\uFEFF" : "");
        switch (style) {
            case ONE_LINE -> out.append('[').append(String.join(", ", rows)).append(']');
            case LINE_PER_ELEMENT -> out.append("[\n").append(String.join(",\n", rows)).append("\n]\n");
            case INDENT_2 -> {
                out.append('[');
                for (int i = 0; i < rows.size(); i++) {
                    out.append(i == 0 ? "\n  " : ",\n  ");
                    reformat(rows.get(i), 1, null, out);
                }
                out.append("\n]");
            }
            case SCATTERED -> {
                out.append("[ \r\n");
                for (int i = 0; i < rows.size(); i++) {
                    if (i > 0) {
                        out.append(random.nextBoolean() ? ",\r\n\t" : "\n ,\n\n");
                    }
                    reformat(rows.get(i), 1, random, out);
                }
                out.append("\r\n]\r\n");
            }
            default -> throw new IllegalArgumentException(style.toString());
        }
        return out.toString();
    }

    /**
     * Copies one row with its spaces outside strings replaced: as Python's indent=2 when
     * {@code random} is null, else by random runs of tabs, spaces and line ends.
     */
    private static void reformat(String row, int depth, Random random, StringBuilder out) {
        boolean inString = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(row.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case ' ', '\t', '\r' -> {
                    // dropped: the style's spaces replace them
                }
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    out.append(c);
                    char next = nextToken(row, i + 1);
                    if (next == '}' || next == ']') {
                        break; // {} and [] stay as they are, as Python writes them
                    }
                    depth++;
                    space(out, depth, random);
                }
                case '}', ']' -> {
                    char before = lastToken(out);
                    if (before != '{' && before != '[') {
                        depth--;
                        space(out, depth, random);
                    }
                    out.append(c);
                }
                case ',' -> {
                    out.append(c);
                    space(out, depth, random);
                }
                case ':' -> out.append(random == null ? ": " : random.nextBoolean() ? ":\t" : " :\n ");
                default -> out.append(c);
            }
        }
    }

    private static void space(StringBuilder out, int depth, Random random) {
        if (random == null) {
            out.append('\n').append("  ".repeat(depth));
        } else {
            String[] runs = {"", " ", "\n", "\r\n\t", "\n\n   "};
            out.append(runs[random.nextInt(runs.length)]);
        }
    }

    private static char nextToken(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static char lastToken(StringBuilder out) {
        int i = out.length() - 1;
        while (i >= 0 && Character.isWhitespace(out.charAt(i))) {
            i--;
        }
        return i >= 0 ? out.charAt(i) : 0;
    }
}
