package org.admap.spark;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Some row groups of a Parquet file, on any Hadoop file system, as a Parquet file of their own
 * on the executor's disk: their column chunks copied byte for byte (never decoded), under the
 * file's schema and key-value metadata. The core reads Parquet through DuckDB, which reads local
 * files and decodes every row group it is given (a row filter does not spare the others), so a
 * task that reads row groups 4 to 7 gets a file of just those: it reads and copies only its share.
 * The core recognises the layout from the copy's first row: Parquet rows share one schema, so it is
 * the file's layout (but for a rule that looks at values, Nectar's {@code answers} list).
 */
final class ParquetRowGroups {

    private ParquetRowGroups() {
    }

    /**
     * Copies row groups {@code [from, to)} of {@code uri} to {@code local}.
     *
     * @return the number of rows in the file before row group {@code from}: the first copied row's index
     */
    static long copy(Configuration conf, String uri, int from, int to, java.nio.file.Path local) throws IOException {
        HadoopInputFile in = HadoopInputFile.fromPath(new Path(uri), conf);
        try (ParquetFileReader reader = ParquetFileReader.open(in)) {
            ParquetMetadata footer = reader.getFooter();
            List<BlockMetaData> groups = footer.getBlocks();
            if (to > groups.size()) {
                throw new IllegalArgumentException(uri + " has " + groups.size() + " row groups, not " + to
                        + ": did it change after the job started?");
            }
            long before = 0;
            for (int g = 0; g < from; g++) {
                before += groups.get(g).getRowCount();
            }
            ParquetFileWriter writer = new ParquetFileWriter(new LocalOutputFile(local),
                    footer.getFileMetaData().getSchema(), ParquetFileWriter.Mode.CREATE,
                    org.apache.parquet.hadoop.ParquetWriter.DEFAULT_BLOCK_SIZE, 0);
            writer.start();
            try (SeekableInputStream stream = in.newStream()) {
                writer.appendRowGroups(stream, groups.subList(from, to), false);
            }
            writer.end(footer.getFileMetaData().getKeyValueMetaData());
            return before;
        }
    }
}
