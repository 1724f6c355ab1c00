package org.admap.testing;

import java.nio.file.Path;
import org.admap.internal.store.RunStore;

/**
 * A child process for tests: opens the run store named by its argument, says "held" on
 * standard output and keeps it open until killed, as another admap command would.
 */
public final class HoldStore {

    private HoldStore() {
    }

    public static void main(String[] args) throws Exception {
        try (RunStore store = RunStore.open(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
