package org.admap.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;

/**
 * Cuts the job's input files into the parts tasks read ({@link InputSplit}), so that one big
 * file is read by many tasks, as Spark's own file sources do, and with the same setting:
 * {@code spark.sql.files.maxPartitionBytes} (128 MiB by default) bounds a split.
 * <ul>
 *   <li>an uncompressed JSON-lines file ({@code .jsonl}, {@code .ndjson}, or {@code .json}
 *       holding lines) larger than that is cut into byte ranges of that size, each task
 *       reading the lines that begin in its range;</li>
 *   <li>a Parquet file is cut between row groups, runs of row groups of about that size
 *       (a row group is never cut: a file of one row group is one split);</li>
 *   <li>everything else is read whole by one task: gzip ({@code .gz}, or gzip bytes under
 *       any name; gzip cannot be entered in the middle), JSON arrays, CSV and TSV.</li>
 * </ul>
 * Only files above the split size are looked into (their first bytes, a Parquet footer), so
 * a job of many small files costs the driver no more than listing them.
 */
public final class InputSplits {

    /** Spark's default for {@code spark.sql.files.maxPartitionBytes}. */
    static final long DEFAULT_SPLIT_BYTES = 128L << 20;

    private InputSplits() {
    }

    /** The split size of this session: {@code spark.sql.files.maxPartitionBytes}. */
    public static long splitBytes(SparkSession spark) {
        String value = spark.conf().get("spark.sql.files.maxPartitionBytes", String.valueOf(DEFAULT_SPLIT_BYTES));
        long bytes = JavaUtils.byteStringAsBytes(value);
        if (bytes <= 0) {
            throw new IllegalArgumentException("spark.sql.files.maxPartitionBytes must be positive, got " + value);
        }
        return bytes;
    }

    /** The splits of these files (in input order), each at most about {@code splitBytes}. */
    public static List<InputSplit> plan(Configuration conf, List<InputFiles.Found> files, long splitBytes)
            throws IOException {
        List<InputSplit> splits = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String uri = files.get(i).uri();
            long length = files.get(i).length();
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(conf);
            if (length <= splitBytes) {
                splits.add(InputSplit.whole(i, uri));
            } else if (jsonLines(fs, path)) {
                for (long start = 0; start < length; start += splitBytes) {
                    splits.add(new InputSplit(i, uri, InputSplit.Kind.LINES, start, Math.min(length,
                            start + splitBytes)));
                }
            } else if (name(path).endsWith(".parquet") && !gzip(fs, path)) {
                splits.addAll(rowGroups(conf, i, uri, splitBytes));
            } else {
                splits.add(InputSplit.whole(i, uri));
            }
        }
        return splits;
    }

    private static String name(Path path) {
        return path.getName().toLowerCase(Locale.ROOT);
    }

    /** Whether the core reads the file as uncompressed JSON lines (its name, then its first bytes). */
    private static boolean jsonLines(FileSystem fs, Path path) throws IOException {
        String name = name(path);
        if (!(name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json"))) {
            return false;
        }
        try (InputStream in = fs.open(path)) {
            int a = in.read();
            int b = in.read();
            if (a == 0x1f && b == 0x8b) {
                return false; // gzip, whatever the name says
            }
            if (!name.endsWith(".json")) {
                return true;
            }
            int c = a;
            if (isSpace(c)) {
                c = b;
                while (isSpace(c)) {
                    c = in.read();
                }
            }
            return c != '['; // a JSON array is read whole; anything else as lines, as FileFormat decides
        }
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF;
    }

    private static boolean gzip(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Runs of row groups, each closed once it holds {@code splitBytes} of compressed data. */
    private static List<InputSplit> rowGroups(Configuration conf, int file, String uri, long splitBytes)
            throws IOException {
        List<BlockMetaData> groups;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(uri), conf))) {
            groups = reader.getFooter().getBlocks();
        } catch (IOException | RuntimeException e) {
            return List.of(InputSplit.whole(file, uri)); // not Parquet after all: the core's reader says why
        }
        List<InputSplit> splits = new ArrayList<>();
        int first = 0;
        long bytes = 0;
        for (int g = 0; g < groups.size(); g++) {
            bytes += groups.get(g).getCompressedSize();
            if (bytes >= splitBytes || g == groups.size() - 1) {
                splits.add(new InputSplit(file, uri, InputSplit.Kind.ROW_GROUPS, first, g + 1));
                first = g + 1;
                bytes = 0;
            }
        }
        if (splits.size() <= 1) {
            return List.of(InputSplit.whole(file, uri));
        }
        return splits;
    }
}
