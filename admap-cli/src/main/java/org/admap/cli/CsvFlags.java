package org.admap.cli;

import org.admap.internal.csv.CsvCells;
import picocli.CommandLine.Option;

/**
 * The option of every command that writes a CSV file: whether text cells that a spreadsheet
 * would run as a formula are neutralised (the default, see {@link CsvCells}) or written raw.
 */
final class CsvFlags {

    @Option(names = "--csv-raw",
            description = "Write the ids and prompts of the CSV files as they are. By default a text cell that"
                    + " begins with = + - @, a tab or a carriage return gets a leading ' so that a spreadsheet"
                    + " does not run it as a formula (CSV injection; see docs/csv.md). Numbers are never changed.")
    boolean raw;

    CsvCells cells() {
        return CsvCells.of(raw);
    }
}
