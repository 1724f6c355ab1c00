package org.admap.cli;

import java.io.PrintWriter;
import java.io.Writer;
import org.admap.Progress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code -q/--quiet} of the commands that read a run (diagnose, select, report), as map has it:
 * a script that runs the pipeline gives every command the same flag. Warnings and errors
 * still go to stderr, and the exit code says how it ended.
 */
final class QuietFlag {

    @Option(names = {"-q", "--quiet"},
            description = "No progress bars, no summary on stdout (warnings and errors still go to stderr).")
    boolean quiet;

    /** The progress bars on stderr, none when quiet. */
    Progress.Factory progress() {
        return TerminalProgress.forStderr(quiet);
    }

    /** The command's stdout, or a sink when quiet. */
    PrintWriter out(CommandSpec spec) {
        return quiet ? new PrintWriter(Writer.nullWriter()) : spec.commandLine().getOut();
    }
}
