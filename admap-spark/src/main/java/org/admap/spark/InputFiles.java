package org.admap.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Resolves the job's inputs, on any Hadoop-compatible file system ({@code file:}, {@code hdfs:},
 * {@code s3a:}, {@code gs:}, {@code abfs:} where the cluster has the connector), into an
 * ordered list of files. The order is the input order of the whole job: the arguments in the
 * order given, a glob's matches and a directory's files (recursively, without the hidden
 * {@code _*} and {@code .*} files) sorted by path. A single machine given the same files in
 * the same order gives the same keys and ids.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * The files the inputs name, fully qualified.
     *
     * @throws IllegalArgumentException when an input matches nothing or no file at all is found
     */
    public static List<String> resolve(Configuration conf, List<String> inputs) throws IOException {
        return found(conf, inputs).stream().map(Found::uri).toList();
    }

    /** A file found, with its length as the listing gave it (no second call per file). */
    public record Found(String uri, long length) {
    }

    /**
     * The files the inputs name, fully qualified, with their lengths.
     *
     * @throws IllegalArgumentException when an input matches nothing or no file at all is found
     */
    public static List<Found> found(Configuration conf, List<String> inputs) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        List<Found> files = new ArrayList<>();
        for (String input : inputs) {
            Path path = new Path(input);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("input '" + input + "' does not exist");
            }
            Arrays.sort(matches, Comparator.comparing(s -> s.getPath().toString()));
            int before = files.size();
            for (FileStatus m : matches) {
                if (m.isDirectory()) {
                    List<Found> inside = new ArrayList<>();
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        if (!hidden(m.getPath(), f.getPath())) {
                            inside.add(new Found(f.getPath().toString(), f.getLen()));
                        }
                    }
                    inside.sort(Comparator.comparing(Found::uri));
                    files.addAll(inside);
                } else {
                    files.add(new Found(fs.makeQualified(m.getPath()).toString(), m.getLen()));
                }
            }
            if (files.size() == before) {
                throw new IllegalArgumentException("input '" + input + "' holds no files");
            }
        }
        return files;
    }

    /** Whether a file below {@code root} is hidden: a name starting with '_' or '.' on its way down. */
    private static boolean hidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            String name = p.getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
