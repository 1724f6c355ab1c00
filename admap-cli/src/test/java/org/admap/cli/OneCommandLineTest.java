package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line built for the arguments (only the subcommand they name) prints and returns
 * exactly what the whole command line does: help, version and errors of every command.
 */
class OneCommandLineTest {

    private static Cli.Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Cli.Result(exit, out.toString(), err.toString());
    }

    private static List<String[]> cases() {
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"--version"}, new String[] {"-V"}, new String[] {"--help"}, new String[] {},
                new String[] {"help", "map"}, new String[] {"mapp"}, new String[] {"--version", "map"}));
        for (String name : Main.newCommandLine().getSubcommands().keySet()) {
            cases.add(new String[] {name, "--help"});
            cases.add(new String[] {name, "--no-such-option"});
            cases.add(new String[] {name, "-V"});
        }
        cases.add(new String[] {"select", "run", "--region", "nope", "--out", "x"});
        cases.add(new String[] {"map", "a", "--out"});
        return cases;
    }

    @Test
    void eachCommandPrintsAndExitsAsOnTheWholeCommandLine() {
        for (String[] args : cases()) {
            Cli.Result whole = run(Main.newCommandLine(), args);
            Cli.Result one = run(Main.newCommandLine(args), args);
            assertThat(one).as(String.join(" ", args)).isEqualTo(whole);
            if (!(args.length == 2 && args[1].equals("-V"))) { // a subcommand's -V prints nothing, as before
                assertThat(whole.out() + whole.err()).as(String.join(" ", args)).isNotEmpty();
            }
        }
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertThat(Main.newCommandLine("map", "x", "--out", "y").getSubcommands()).containsOnlyKeys("map");
        assertThat(Main.newCommandLine("--version").getSubcommands()).isEmpty();
        assertThat(Main.newCommandLine("help", "map").getSubcommands()).hasSize(Main.COMMANDS.size());
        assertThat(Main.newCommandLine().getSubcommands()).hasSize(Main.COMMANDS.size()).containsKeys("map", "bench");
    }
}
