package org.admap.cli;

import org.admap.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level command: lists the subcommands. They are not in its {@code @Command} annotation
 * but in {@link Main#COMMANDS}, so that a command line builds only the one it runs.
 */
@Command(name = "admap",
        mixinStandardHelpOptions = true,
        versionProvider = AdmapCommand.VersionProvider.class,
        sortOptions = false,
        header = "Alignment Data Map of LLM preference data: map it, select the third worth training on,"
                + " find the labels that are probably wrong.",
        description = {
                "",
                "A typical session:",
                "  admap map prefs.jsonl --out run/      the map: run/map.csv, run/summary.json",
                "  admap diagnose run/                   probably wrong labels: run/flags.csv",
                "  admap select run/ --region high-avg --out high-avg.jsonl",
                "                                        DPO pairs of the best third",
                "  admap report run/                     the map drawn: run/map.png, run/map.svg, and",
                "                                        the interactive run/report.html",
                "  admap serve run/                      the map in the browser: read, review, export",
                "  admap diagnose run/ --inject-flips 10 how far to trust the flags on this data",
                "  admap compare run/ --scores judge,reward",
                "                                        how much the map depends on the scorer",
                "",
                "Try it offline on the example data: admap demo",
                ""},
        footer = {"", "Exit codes: 0 done, 2 bad input or arguments (the message says what to fix),"
                + " 1 internal error.", "Documentation: README.md in the admap repository."})
final class AdmapCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command (see the list above)");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"admap " + Version.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
