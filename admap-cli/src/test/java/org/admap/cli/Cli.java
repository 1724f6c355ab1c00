package org.admap.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs admap in-process, as the launcher would, and captures what it prints. */
final class Cli {

    /** Exit code, standard output and standard error of one run. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    /** Runs {@code admap ARGS} on the command line the launcher would build for them. */
    static Result run(String... args) {
        CommandLine cl = Main.newCommandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Maps the bundled demo data into {@code out}, the setup most command tests start from. */
    static Path mapDemo(Path out) {
        Result r = run("map", org.admap.RealData.demo().toString(), "--out", out.toString(), "-q");
        if (r.exit() != 0) {
            throw new AssertionError("mapping the demo failed: " + r);
        }
        return out;
    }
}
