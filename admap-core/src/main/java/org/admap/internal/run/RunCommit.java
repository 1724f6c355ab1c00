package org.admap.internal.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;

/**
 * The one commit point of a command on a run: its files (map.csv, flags.csv, summary.json,
 * a new store...) and its change to the store take effect together, or none of them does,
 * whenever the process dies (SIGKILL included).
 *
 * <p>A command writes each file under a temporary name ({@link #stage}); then
 * {@link #commit()} writes a record of the renames and deletions still to do
 * ({@value #FILE_NAME}) and does them. With a store change ({@link #commit(RunStore,
 * RunStore.Work)}) the record is written inside the store's transaction, which also stores
 * the record's token: the transaction's commit is then the commit point. The next command on
 * the run ({@link #recover}) finishes a recorded commit (its token in the store, or none
 * needed) or discards it, and removes the temporaries a killed command left behind.
 */
public final class RunCommit implements AutoCloseable {

    /** The record of a commit under way, in the run directory. */
    public static final String FILE_NAME = ".admap-commit.json";

    /** Run-info key of the token of the last committed record with a store change. */
    public static final String INFO_TOKEN = "commit.token";

    /** Temporaries admap writes beside their targets: AtomicFile's, this class's, stores being built. */
    private static final Pattern TEMPORARY = Pattern.compile(
            "^\\..+\\.[0-9a-f]{1,16}\\.tmp$|^\\.run-.+\\.duckdb\\.tmp(\\.wal)?$");

    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * The record.
     *
     * @param token   the token the store holds once its change is committed; null when the
     *                record alone commits
     * @param renames pairs of absolute paths: temporary, target
     * @param deletes absolute paths to delete
     */
    public record Record(String token, List<List<String>> renames, List<String> deletes) {
    }

    private final RunDirectory run;
    private final List<List<String>> renames = new ArrayList<>();
    private final List<String> deletes = new ArrayList<>();
    private volatile boolean recorded;
    private boolean applied;

    public RunCommit(RunDirectory run) {
        this.run = run;
    }

    /** A temporary file beside {@code target}, renamed onto it at the commit. */
    public Path stage(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path temp = abs.resolveSibling("." + abs.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        renames.add(List.of(temp.toString(), abs.toString()));
        return temp;
    }

    /** Renames an existing file (a store built under a temporary name) onto {@code target} at the commit. */
    public void move(Path temp, Path target) {
        renames.add(List.of(temp.toAbsolutePath().normalize().toString(),
                target.toAbsolutePath().normalize().toString()));
    }

    /** Deletes {@code file} at the commit, if it exists. */
    public void delete(Path file) {
        deletes.add(file.toAbsolutePath().normalize().toString());
    }

    /** Whether the commit record is written: from then on the commit happens, now or at the next command. */
    public boolean recorded() {
        return recorded;
    }

    /** Commits the staged files: the record is the commit point. */
    public void commit() throws IOException {
        write(new Record(null, renames, deletes));
        apply();
    }

    /**
     * Commits the staged files with a change of the store: {@code change} runs in one
     * transaction, whose commit is the commit point; it may stage files itself.
     */
    public void commit(RunStore store, RunStore.Work change) throws IOException {
        String token = UUID.randomUUID().toString();
        store.inTransaction(() -> {
            change.run();
            write(new Record(token, renames, deletes));
            store.putInfo(INFO_TOKEN, token);
        });
        apply();
    }

    private void write(Record record) throws IOException {
        try (AtomicFile out = new AtomicFile(run.dir().resolve(FILE_NAME))) {
            JSON.writeValue(out.stream(), record);
            out.commit();
        }
        recorded = true;
    }

    private void apply() throws IOException {
        apply(new Record(null, renames, deletes));
        Files.deleteIfExists(run.dir().resolve(FILE_NAME));
        applied = true;
    }

    private static void apply(Record r) throws IOException {
        for (List<String> rename : r.renames()) {
            Path temp = Path.of(rename.get(0));
            if (Files.exists(temp)) { // else done before the process died
                try {
                    Files.move(temp, Path.of(rename.get(1)), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, Path.of(rename.get(1)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        for (String d : r.deletes()) {
            Files.deleteIfExists(Path.of(d));
        }
    }

    /** Deletes the staged files of a commit that did not happen. */
    @Override
    public void close() throws IOException {
        if (applied || recorded) {
            return; // a recorded commit is finished by the next command if this one could not
        }
        for (List<String> rename : renames) {
            Path temp = Path.of(rename.get(0));
            if (temp.getFileName().toString().startsWith(".")) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Finishes or discards the commit a killed command left in {@code run}, then deletes the
     * temporaries in the directory. Call it holding the run's store (so that no other
     * command is writing there): {@code store} is that store, or null when the run has none.
     */
    public static void recover(RunDirectory run, RunStore store) throws IOException {
        Path file = run.dir().resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            Record r;
            try {
                r = JSON.readValue(file.toFile(), Record.class);
            } catch (IOException e) {
                r = null; // a record is written atomically: unreadable means foreign; drop it
            }
            if (r != null) {
                boolean committed = r.token() == null
                        || (store != null && r.token().equals(store.info(INFO_TOKEN).orElse(null)));
                if (committed) {
                    apply(r);
                } else {
                    for (List<String> rename : r.renames()) {
                        Files.deleteIfExists(Path.of(rename.get(0)));
                    }
                }
            }
            Files.deleteIfExists(file);
        }
        deleteTemporaries(run.dir());
    }

    /** Whether a killed command left a commit record or temporaries in the run directory. */
    public static boolean needsRecovery(RunDirectory run) throws IOException {
        if (!Files.isDirectory(run.dir())) {
            return false;
        }
        try (Stream<Path> entries = Files.list(run.dir())) {
            return entries.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.equals(FILE_NAME) || TEMPORARY.matcher(n).matches());
        }
    }

    /** Deletes admap's temporaries in {@code dir} (not in its subdirectories). */
    public static void deleteTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes the temporaries a killed writer of {@code target} left beside it ({@code .NAME.HEX.tmp}). */
    public static void deleteTemporariesOf(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = "." + abs.getFileName() + ".";
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && TEMPORARY.matcher(n).matches()
                        && n.substring(prefix.length()).matches("[0-9a-f]{1,16}\\.tmp");
            }).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Finishes or discards what a killed command left in a run directory (a commit under way,
     * temporaries), holding the run's store meanwhile so that no command is writing there.
     */
    public static void recoverRun(RunDirectory run) throws IOException {
        if (!RunCommit.needsRecovery(run)) {
            return;
        }
        if (!Files.isRegularFile(run.store())) {
            RunCommit.recover(run, null);
            return;
        }
        try (RunStore store = RunStore.open(run.store())) {
            RunCommit.recover(run, store);
        }
    }
}
