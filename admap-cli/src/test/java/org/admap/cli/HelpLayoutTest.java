package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} at 80 columns wraps at spaces only: its words are exactly
 * those of the same help at a width where nothing wraps (a path, URL or file name broken in
 * two, {@code run/map.} / {@code svg}, would be two other words), and an example's
 * continuation never lands at column 0.
 */
class HelpLayoutTest {

    private static Map<String, CommandLine> everyCommand() {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        collect("admap", Main.newCommandLine(), all);
        return all;
    }

    private static void collect(String name, CommandLine cl, Map<String, CommandLine> all) {
        all.put(name, cl);
        cl.getSubcommands().forEach((sub, c) -> {
            if (!all.containsValue(c)) {
                collect(name + " " + sub, c, all);
            }
        });
    }

    private static String help(CommandLine cl, int width) {
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(width);
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void everyCommandsHelpAtEightyColumnsBreaksOnlyBetweenWords() {
        Map<String, CommandLine> commands = everyCommand();
        assertThat(commands).containsKeys("admap", "admap map", "admap select", "admap bench");
        for (Map.Entry<String, CommandLine> c : commands.entrySet()) {
            String narrow = help(c.getValue(), 80);
            String wide = help(c.getValue(), 1000);
            assertThat(words(narrow)).as("%s --help at 80 columns:%n%s", c.getKey(), narrow)
                    .isEqualTo(words(wide));
        }
    }

    @Test
    void examplesContinueIndentedAndLinesFitWhereTheirWordsDo() {
        for (Map.Entry<String, CommandLine> c : everyCommand().entrySet()) {
            String narrow = help(c.getValue(), 80);
            boolean inExamples = false;
            for (String line : narrow.split("\\R")) {
                if (line.isBlank()) {
                    inExamples = false;
                    continue;
                }
                if (line.startsWith("Examples:") || line.startsWith("A typical session:")) {
                    inExamples = true;
                    continue;
                }
                if (inExamples) {
                    assertThat(line).as("%s: an example line at column 0:%n%s", c.getKey(), narrow).startsWith(" ");
                }
                List<String> w = words(line);
                if (w.size() > 1) {
                    assertThat(line.length()).as("%s: too long: %s", c.getKey(), line).isLessThanOrEqualTo(80);
                }
            }
        }
    }

    @Test
    void benchsUsageReadsFormatsOnceAndSelectListsItsPairByValues() {
        Map<String, CommandLine> commands = everyCommand();
        String bench = help(commands.get("admap bench"), 80);
        assertThat(bench).contains("--formats=F[,F...]").doesNotContain("[,F[,F...]...]")
                .contains("--instructions=N[,N...]").doesNotContain("[,N[,N...]...]");
        String select = help(commands.get("admap select"), 80);
        // the option's own entry in the list, up to the next option
        String pairBy = select.substring(select.indexOf("\n      --pair-by=") + 1);
        pairBy = pairBy.substring(0, pairBy.indexOf("\n      --"));
        assertThat(pairBy).contains("labels").contains("scores");
    }
}
