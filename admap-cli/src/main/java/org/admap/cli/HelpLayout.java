package org.admap.cli;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code --help} layout: text is wrapped at spaces only. picocli breaks lines where
 * Java's line-break rules allow, inside paths, URLs and file names too ({@code run/map.} /
 * {@code svg}, {@code hf:} / {@code //datasets}), and wraps an indented example back to
 * column 0. Here the header, description and footer are wrapped by {@link #wrap}, and the
 * options' and parameters' descriptions are wrapped at spaces before picocli lays them
 * out, so that each piece fits its column and picocli has nothing left to break. A word
 * longer than its line stays whole (the line is longer then).
 */
final class HelpLayout {

    /** Continuation lines of an option's description are indented by two, as picocli does. */
    private static final int WRAPPED_INDENT = 2;

    private HelpLayout() {
    }

    /** Applies the layout to a command and all its subcommands. */
    static void apply(CommandLine cl) {
        cl.setHelpFactory(SpaceWrappingHelp::new);
        applySections(cl);
    }

    private static void applySections(CommandLine cl) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER,
                help -> text(help, help.commandSpec().usageMessage().header()));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                help -> text(help, help.commandSpec().usageMessage().description()));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpLayout::synopsis);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> text(help, help.commandSpec().usageMessage().footer()));
        cl.setHelpSectionMap(sections);
        for (CommandLine sub : cl.getSubcommands().values()) {
            applySections(sub);
        }
    }

    /**
     * The synopsis as picocli writes it on one line, wrapped at spaces (between options,
     * never inside {@code [--scores=SOURCES[,SOURCES...]]}), continuations under the first
     * option.
     */
    private static String synopsis(Help help) {
        CommandLine.Model.UsageMessageSpec usage = help.commandSpec().usageMessage();
        int width = usage.width();
        int heading = help.synopsisHeadingLength();
        String line;
        try {
            usage.width(100_000);
            line = help.synopsis(heading).stripTrailing();
        } finally {
            usage.width(width);
        }
        String name = help.commandSpec().qualifiedName() + " ";
        int hang = heading + (line.startsWith(name) ? name.length() : 0);
        StringBuilder sb = new StringBuilder();
        String rest = line;
        int room = width - heading;
        boolean first = true;
        while (rest.length() > room) {
            int at = rest.lastIndexOf(' ', room);
            if (at <= (first ? 0 : hang)) {
                at = rest.indexOf(' ', room);
                if (at < 0) {
                    break;
                }
            }
            sb.append(rest, 0, at).append(System.lineSeparator());
            rest = " ".repeat(hang) + rest.substring(at + 1).stripLeading();
            room = width;
            first = false;
        }
        return sb.append(rest).append(System.lineSeparator()).toString();
    }

    /** Lines of free text (picocli's format: {@code %n}, {@code %%}), each wrapped to the help's width. */
    private static String text(Help help, String[] lines) {
        StringBuilder sb = new StringBuilder();
        int width = help.commandSpec().usageMessage().width();
        for (String line : lines) {
            String formatted;
            try {
                formatted = String.format(Locale.ROOT, line);
            } catch (IllegalFormatException e) {
                formatted = line;
            }
            for (String part : formatted.split("\r?\n", -1)) {
                for (String piece : wrap(part, width)) {
                    sb.append(piece).append(System.lineSeparator());
                }
            }
        }
        return help.colorScheme().ansi().new Text(sb.toString(), help.colorScheme()).toString();
    }

    /**
     * Wraps a line of help text to {@code width} columns at spaces. A continuation line is
     * indented like the text it continues: under the second column of a two-column line
     * (text after a gap of two or more spaces, such as an example and its comment), else
     * four further than an indented line (an example never continues at column 0), else
     * not at all (prose).
     */
    static List<String> wrap(String line, int width) {
        List<String> out = new ArrayList<>();
        String rest = stripTrailing(line);
        if (rest.length() <= width) {
            out.add(rest);
            return out;
        }
        int indent = leadingSpaces(rest);
        int hang = indent > 0 ? indent + 4 : 0;
        int gap = secondColumn(rest, indent, width);
        if (gap > 0 && gap < width - 20) {
            hang = gap;
        }
        boolean first = true;
        while (rest.length() > width) {
            int from = first ? indent : hang;
            int at = rest.lastIndexOf(' ', width);
            if (at <= from) {
                at = rest.indexOf(' ', width); // a word longer than the line stays whole
                if (at < 0) {
                    break;
                }
            }
            out.add(stripTrailing(rest.substring(0, at)));
            rest = " ".repeat(hang) + rest.substring(at).stripLeading();
            first = false;
        }
        out.add(rest);
        return out;
    }

    /** Where the text after the last gap of two or more spaces begins (within the width), or -1. */
    private static int secondColumn(String line, int indent, int width) {
        int found = -1;
        for (int i = indent + 1; i + 2 < line.length() && i < width; i++) {
            if (line.charAt(i) == ' ' && line.charAt(i + 1) == ' ' && line.charAt(i - 1) != ' ') {
                int j = i;
                while (j < line.length() && line.charAt(j) == ' ') {
                    j++;
                }
                if (j < width) {
                    found = j;
                }
            }
        }
        return found;
    }

    private static int leadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    /** picocli's help, with a layout that wraps descriptions at spaces. */
    private static final class SpaceWrappingHelp extends Help {

        SpaceWrappingHelp(CommandSpec spec, ColorScheme colorScheme) {
            super(spec, colorScheme);
        }

        @Override
        public Layout createDefaultLayout() {
            Layout base = super.createDefaultLayout();
            return new SpaceWrappingLayout(base);
        }
    }

    /** Splits each description line into pieces that fit the description column, at spaces. */
    private static final class SpaceWrappingLayout extends Help.Layout {

        SpaceWrappingLayout(Help.Layout base) {
            super(base.colorScheme(), base.textTable(), base.optionRenderer(), base.parameterRenderer());
        }

        @Override
        public void layout(ArgSpec argSpec, Text[][] cellValues) {
            Help.Column[] columns = table.columns();
            int last = columns.length - 1;
            int room = columns[last].width - columns[last].indent - 1;
            List<Text[]> rows = new ArrayList<>();
            for (Text[] row : cellValues) {
                if (row.length <= last || row[last] == null || row[last].plainString().length() <= room) {
                    rows.add(row);
                    continue;
                }
                List<String> pieces = wrapHanging(row[last].plainString(), room);
                for (int p = 0; p < pieces.size(); p++) {
                    Text[] r = new Text[row.length];
                    for (int c = 0; c < last; c++) {
                        r[c] = p == 0 ? row[c] : colorScheme.ansi().new Text("", colorScheme);
                    }
                    r[last] = colorScheme.ansi().new Text(pieces.get(p), colorScheme);
                    rows.add(r);
                }
            }
            super.layout(argSpec, rows.toArray(Text[][]::new));
        }

        /** The pieces of a description, continuations indented as picocli indents wrapped lines. */
        private static List<String> wrapHanging(String text, int room) {
            List<String> out = new ArrayList<>();
            String rest = text.strip();
            int width = room;
            while (rest.length() > width) {
                int at = rest.lastIndexOf(' ', width);
                if (at <= 0) {
                    at = rest.indexOf(' ', width);
                    if (at < 0) {
                        break;
                    }
                }
                out.add((out.isEmpty() ? "" : " ".repeat(WRAPPED_INDENT)) + rest.substring(0, at).stripTrailing());
                rest = rest.substring(at).stripLeading();
                width = room - WRAPPED_INDENT;
            }
            out.add((out.isEmpty() ? "" : " ".repeat(WRAPPED_INDENT)) + rest);
            return out;
        }
    }
}
