package org.admap.cli;

import picocli.CommandLine;

/** The {@code admap} program: parses the command line and runs a subcommand. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs admap with these arguments and returns the exit code (for tests). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new AdmapCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        HelpLayout.apply(cl); // wrapped at spaces only
        return cl;
    }
}
