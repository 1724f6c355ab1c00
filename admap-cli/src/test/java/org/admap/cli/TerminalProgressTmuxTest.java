package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The progress bars in a real terminal: {@link ProgressScript} run in a detached tmux pane of
 * 80 and 200 columns, the pane read back with {@code tmux capture-pane}. A line that wraps
 * scrolls at every refresh and leaves copies of the bar behind; a fitted one is redrawn in
 * place, so each task leaves one line. Skipped, with a message, where tmux is not installed
 * ({@code scripts/install-test-deps.sh} installs it).
 */
class TerminalProgressTmuxTest {

    @BeforeAll
    static void needsTmux() {
        boolean present;
        try {
            present = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            present = false;
        }
        String why = "skipped: the terminal tests of the progress bars need tmux; install it with"
                + " scripts/install-test-deps.sh";
        if (!present) {
            System.err.println("TerminalProgressTmuxTest " + why);
        }
        assumeTrue(present, why);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void eachTaskLeavesOneLineThatFitsTheTerminal(int columns) throws Exception {
        String socket = "admap-test-" + ProcessHandle.current().pid() + "-" + columns;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + ProgressScript.class.getName() + "; sleep 60";
        run("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", Integer.toString(columns), "-y",
                "30", "env", "-u", "ADMAP_NO_PROGRESS", "sh", "-c", command);
        try {
            String pane = "";
            for (int i = 0; i < 600 && !pane.contains("DONE"); i++) {
                Thread.sleep(200);
                pane = run("tmux", "-L", socket, "capture-pane", "-p", "-J", "-S", "-200");
            }
            assertThat(pane).as("the script finished").contains("DONE");
            List<String> lines = new ArrayList<>(pane.lines().map(String::stripTrailing)
                    .filter(l -> !l.isEmpty()).toList());
            // -J joins a wrapped line back into one: none may be as wide as the pane
            for (String line : lines) {
                assertThat(line.length()).as(columns + " columns: " + line).isLessThan(columns);
            }
            assertThat(lines.stream().filter(l -> l.startsWith("reading ultrafeedback"))).as(pane).hasSize(1);
            assertThat(lines.stream().filter(l -> l.startsWith("diagnose: flagging"))).as(pane).hasSize(1);
            assertThat(lines.stream().filter(l -> l.startsWith("scoring (judge)"))).as(pane).hasSize(1);
            String scoring = lines.stream().filter(l -> l.startsWith("scoring (judge)")).findFirst().orElseThrow();
            assertThat(scoring).contains("100%").doesNotContain("responses/s$");
            if (columns >= 200) { // room for every part, each apart from the next
                assertThat(scoring).containsPattern("responses/s  \\d+:\\d\\d  \\$0\\.0300$");
                assertThat(lines.stream().filter(l -> l.startsWith("reading")).findFirst().orElseThrow())
                        .containsPattern("MB/s  \\d+:\\d\\d  90,120 items$");
            }
        } finally {
            run("tmux", "-L", socket, "kill-server");
        }
    }
}
