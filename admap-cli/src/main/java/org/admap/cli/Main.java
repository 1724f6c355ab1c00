package org.admap.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** The {@code admap} program: parses the command line and runs a subcommand. */
public final class Main {

    /**
     * The subcommands, in the order {@code admap --help} lists them. picocli reads every
     * option, mixin and description of a command by reflection when it is added, about 40 ms
     * per command with its class loading; a command line that runs one of them builds only
     * that one (see {@link #newCommandLine(String...)}).
     */
    static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            InspectCommand.class,
            MapCommand.class,
            ScoreCommand.class,
            RunCommand.class,
            DiagnoseCommand.class,
            CompareCommand.class,
            SelectCommand.class,
            ExperimentCommand.class,
            ReportCommand.class,
            ServeCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class);

    private static final Set<String> VERSION = Set.of("-V", "--version");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs admap with these arguments and returns the exit code (for tests). */
    public static int run(String... args) {
        if (Boolean.getBoolean("admap.classDataArchive")) {
            // the launcher's archive run: every command's classes into the archive, not map's alone
            newCommandLine();
        }
        try {
            return newCommandLine(args).execute(args);
        } catch (OutOfMemoryError e) {
            // the heap is free again once the command's frames are gone: one line, not a trace
            System.err.println("admap: error: " + OutOfMemory.message(args.length > 0 && !args[0].startsWith("-")
                    ? args[0] : null, Runtime.getRuntime().maxMemory()));
            System.err.flush();
            return ExitCodes.USAGE;
        }
    }

    /** The whole command line, every subcommand built (for tests of them all). */
    static CommandLine newCommandLine() {
        return configured(withCommands(COMMANDS));
    }

    /**
     * The command line that runs these arguments, with only the subcommand they name when the
     * first one names one (other than {@code help}, which looks the others up), no subcommand
     * for a bare {@code --version}, and every subcommand otherwise (the top-level help, an
     * unknown command and its suggestions). What it prints and returns is that of {@link
     * #newCommandLine()} on the same arguments: a subcommand's parsing, help and errors do not
     * depend on its siblings.
     */
    static CommandLine newCommandLine(String... args) {
        if (args.length == 1 && VERSION.contains(args[0])) {
            return configured(new CommandLine(new AdmapCommand()));
        }
        if (args.length > 0) {
            for (Class<?> c : COMMANDS) {
                CommandLine.Command command = c.getAnnotation(CommandLine.Command.class);
                if (c != CommandLine.HelpCommand.class && names(command).contains(args[0])) {
                    return configured(withCommands(List.of(c)));
                }
            }
        }
        return newCommandLine();
    }

    private static List<String> names(CommandLine.Command command) {
        List<String> names = new java.util.ArrayList<>(List.of(command.aliases()));
        names.add(command.name());
        return names;
    }

    private static CommandLine withCommands(List<Class<?>> commands) {
        CommandLine cl = new CommandLine(new AdmapCommand());
        for (Class<?> c : commands) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /** The settings apply to the subcommands added so far: they are added before. */
    private static CommandLine configured(CommandLine cl) {
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        HelpLayout.apply(cl); // wrapped at spaces only
        return cl;
    }
}
