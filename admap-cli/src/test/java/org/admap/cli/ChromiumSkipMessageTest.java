package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Where Chromium is absent the browser tests say so on the build's output, not only in the
 * report files (Maven's summary of a class skipped before its first test is "Tests run: 0").
 */
class ChromiumSkipMessageTest {

    @Test
    void aMissingBrowserIsNamedOnStderrWithHowToInstallIt() {
        assumeFalse(Files.isExecutable(Chromium.BINARY) && Files.isExecutable(Chromium.DRIVER),
                "Chromium is installed here: the browser tests run instead of skipping");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(Chromium::assumeInstalled).isInstanceOf(TestAbortedException.class);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("skipped: the browser tests need Debian's chromium and chromium-driver")
                .contains("scripts/install-test-deps.sh");
    }
}
