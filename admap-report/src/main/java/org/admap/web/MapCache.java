package org.admap.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.admap.Progress;
import org.admap.internal.columns.InputChangedException;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.Reviews;
import org.admap.internal.store.RunDirectory;
import org.admap.report.RunView;
import org.admap.report.ScannedRunView;
import org.admap.report.ViewData;
import org.admap.run.Run;
import org.admap.run.RunException;

/**
 * The viewer's response cache: the map served ({@link ServedMap}) and the review marks, each
 * read again only when a file of the run changed. A run with a store is served from the store;
 * a scanned run without one from its columns ({@link ScannedRunView}), until a change builds
 * the store, after which the next request finds the store and serves from it.
 */
final class MapCache {

    private final RunDirectory run;
    private final StoreConnections store;
    private final ViewData.Options options;
    /** Told how the building of a scanned run's search index goes. */
    private final Consumer<String> notices;

    /** The current map, as served: replaced whole when the run gets a new map or diagnosis. */
    private volatile ServedMap map;
    /** The run's files as they were when {@link #map} was last found current (see {@link #stamp}). */
    private volatile String mapStamp;
    private volatile ReviewsRead reviewsRead;
    /** Sources of maps no longer served (a scanned run's columns once its store is built). */
    private final List<ViewerSource> retired = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The marks as last read, with the {@link #stamp} of the run's files then. */
    private record ReviewsRead(String stamp, Map<Integer, Reviews.Mark> marks) {
    }

    MapCache(RunDirectory run, StoreConnections store, ViewData.Options options, Consumer<String> notices) {
        this.run = run;
        this.store = store;
        this.options = options;
        this.notices = notices;
    }

    /**
     * The map served now: loaded (or reloaded, after a new 'admap map' or 'admap diagnose', or
     * once a scanned run's store is built) when a file of the run changed.
     */
    ServedMap current() throws IOException {
        ServedMap current = map;
        String stamp = stamp();
        if (current != null && stamp.equals(mapStamp)) {
            return current; // no file of the run changed: no need to ask the store
        }
        return reload(stamp);
    }

    private synchronized ServedMap reload(String stamp) throws IOException {
        ServedMap loaded = Run.hasColumns(run.dir()) ? fromColumns() : fromStore();
        ServedMap old = map;
        map = loaded;
        mapStamp = stamp;
        if (old != null && old.source() != loaded.source()) {
            retired.add(old.source()); // a request in progress may still read it: closed with the viewer
        }
        return loaded;
    }

    /** A scanned run's map from its columns, its inputs checked first (the sampled blocks too). */
    private ServedMap fromColumns() throws IOException {
        ServedMap current = map;
        String version = "columns|" + attributes(run.dir().resolve(RunColumns.FILE)) + "|" + diagnosisTime();
        if (current != null && version.equals(current.version())) {
            return current;
        }
        Run.openDeferred(run.dir(), Progress.Factory.NONE).checkInputsUnchanged();
        ScannedRunView view;
        try {
            view = ScannedRunView.open(run);
        } catch (InputChangedException e) {
            throw new RunException(e.getMessage());
        }
        ColumnViewerSource source = new ColumnViewerSource(view, notices);
        try {
            return ServedMap.build(run, RunView.load(view.source()), options, version, source);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The map of the run store, read again only when the store holds another map or diagnosis. */
    private ServedMap fromStore() throws IOException {
        String version = "store|" + store.withStore(s -> s.info(MapJob.INFO_CREATED).orElse("")) + "|"
                + diagnosisTime();
        ServedMap current = map;
        if (current != null && version.equals(current.version())) {
            return current;
        }
        StoreViewerSource source = current != null && current.source() instanceof StoreViewerSource s ? s
                : new StoreViewerSource(store);
        try {
            return store.withStore(s -> {
                try {
                    return ServedMap.build(run, RunView.load(s), options, version, source);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The review marks, read again only when the run's files changed. */
    Map<Integer, Reviews.Mark> marks() throws IOException {
        String stamp = stamp(); // taken before reading: a change while reading is read next time
        ReviewsRead read = reviewsRead;
        if (read == null || !read.stamp().equals(stamp)) {
            read = new ReviewsRead(stamp, current().source().marks());
            reviewsRead = read;
        }
        return read.marks();
    }

    /**
     * The size and modification time of the store, its write-ahead log, the columns, the
     * deferred store's note and the diagnosis: while they stay the same, neither a new map
     * nor a new diagnosis nor a built store can have come, and the map served is current
     * without a query. Any change (a review written here too) makes the next request ask
     * which map the run holds.
     */
    private String stamp() {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(run.store(), run.store().resolveSibling(run.store().getFileName() + ".wal"),
                run.diagnosisJson(), run.dir().resolve(RunColumns.FILE), run.deferredStore())) {
            sb.append(attributes(p)).append(';');
        }
        return sb.toString();
    }

    private static String attributes(Path p) {
        try {
            var a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (IOException absent) {
            return "-";
        }
    }

    private String diagnosisTime() {
        try {
            return Files.exists(run.diagnosisJson()) ? Files.getLastModifiedTime(run.diagnosisJson()).toString() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Closes the columns a scanned run's map is read from. */
    void close() throws IOException {
        ServedMap m = map;
        if (m != null) {
            retired.add(m.source());
        }
        for (ViewerSource s : retired) {
            s.close();
        }
        retired.clear();
    }
}
