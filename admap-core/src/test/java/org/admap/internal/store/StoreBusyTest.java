package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.admap.testing.HoldStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store held by another process is a typed condition with a one-line message naming that process. */
class StoreBusyTest {

    @TempDir
    Path tmp;

    @Test
    void aStoreHeldByAnotherProcessIsBusyAndNamesItsPid() throws Exception {
        Path run = tmp.resolve("run");
        java.nio.file.Files.createDirectories(run);
        Path file = run.resolve(RunStore.FILE_NAME);
        RunStore.create(file).close();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldStore.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("held");

            assertThatThrownBy(() -> RunStore.open(file))
                    .isInstanceOfSatisfying(StoreBusyException.class, e -> {
                        assertThat(e.pid()).hasValue(holder.pid());
                        assertThat(e.file()).isEqualTo(file);
                    })
                    .hasMessage(run + "/ is in use by another admap process (pid " + holder.pid() + ")");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        RunStore.open(file).close(); // free again once the holder is gone
    }
}
