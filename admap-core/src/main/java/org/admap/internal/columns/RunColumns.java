package org.admap.internal.columns;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;
import org.admap.map.AlignmentMap;
import org.admap.map.ScanMap;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * A run's numbers as columns in one file ({@code columns.bin} in the run directory), written
 * by {@code map} from its scan and memory-mapped by the commands after it, so that
 * {@code diagnose}, {@code select} and {@code report} need neither the run store nor a
 * second pass over the input. Texts stay in the input: the file keeps where each lies and
 * its hashes ({@link org.admap.internal.text.TextKeys}), and {@link InputTexts} reads the few that a
 * command needs, checked against them.
 *
 * <p>Layout, little-endian, every section starting at a multiple of 8: the magic
 * {@code ADMAPCOL}, the int32 version ({@link #VERSION}), the int32 length of a JSON header
 * ({@link Header}) and the header; then int64 items, responses and points; then the 22
 * sections in order: per item the end of its responses; per response the score, label, text
 * offset, text length and text digest; per item the input file, the prompt's and the input's
 * offsets, the prompt's exact and whitespace-normalised hashes, and the end of its id; the
 * ids' UTF-8 bytes; per point its key, n, mean, variance, std, correlation and region; per
 * response its model as an index into {@link Header#models()} (-1: none); per item its
 * reference literal's offset (-1: none).
 *
 * <p>Version 3 (written) packs every section but the ids' bytes as a {@code PackedColumn}
 * (blocks of 1024 values by frame of reference; doubles through a dictionary of their
 * distinct values), read in place at O(1) a value, and ends with a footer: the int64 count
 * of sections, per section its int64 start, data length and count of values, and last the
 * int64 offset of the footer. Versions 1 and 2 (still read, from an older admap) hold each
 * section as a plain array of int8, int32, int64 or float64, one after the other; version 1
 * lacks the last two sections and the header's models ({@link #hasModels()} false). A
 * reader refuses any other version. The file is written under a temporary name and renamed
 * into place, so it is whole or absent.
 */
public final class RunColumns implements AutoCloseable {

    /** The file's name in a run directory. */
    public static final String FILE = "columns.bin";

    /** The version written: 3 packs every column in blocks (see the layout above). */
    public static final int VERSION = 3;

    /** Version 2: fixed-width columns, with the responses' models; still read. */
    static final int VERSION_WITH_MODELS = 2;

    /** The oldest version read: 1, fixed-width columns without models. */
    static final int VERSION_WITHOUT_MODELS = 1;

    private static final byte[] MAGIC = "ADMAPCOL".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Region[] REGIONS = Region.values();

    /**
     * What the columns were made from.
     *
     * @param inputs      the input files with the size and modification time they had
     * @param scoreSource the map's score source ({@code input} or {@code labels})
     * @param labels      how the labels relate to the scores ({@code independent}, {@code scores}, {@code none})
     * @param correlation the measure of the map's correlation column, or null
     * @param mapCreated  when the map was made (ISO-8601)
     * @param models      the distinct models of the responses, in order of first sight: the
     *                    dictionary of the models' column (null in a version 1 file, which has none)
     */
    public record Header(List<InputFile> inputs, String scoreSource, String labels, String correlation,
                         String mapCreated, List<String> models) {
    }

    /** An input file as it was when the map was made. */
    public record InputFile(String path, long size, long modifiedMillis) {
    }

    private final Header header;
    private final int version;
    private final int items;
    private final int responses;
    private final int points;
    private final FileChannel channel;
    private final Column responseEnds;
    private final Column scores;
    private final Column labels;
    private final Column textOffsets;
    private final Column textLengths;
    private final Column textFilters;
    private final Column itemFiles;
    private final Column promptOffsets;
    private final Column inputOffsets;
    private final Column promptHashes;
    private final Column normalisedHashes;
    private final Column idEnds;
    private final ByteBuffer idBytes;
    private final Column pointKeys;
    private final Column pointNs;
    private final Column pointMeans;
    private final Column pointVariances;
    private final Column pointStds;
    private final Column pointCorrelations;
    private final Column pointRegions;
    /** Per response its model's index in {@link #modelNames}, -1 for none; null in a version 1 file. */
    private final Column modelIndexes;
    private final String[] modelNames;
    /** Per item its reference literal's offset, -1 for none; null in a version 1 file. */
    private final Column referenceOffsets;

    private RunColumns(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean ok = false;
        try {
            if (channel.size() < 16) {
                throw new IOException(file + " is not an admap columns file");
            }
            ByteBuffer head = map(0, 16);
            byte[] magic = new byte[8];
            head.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not an admap columns file");
            }
            version = head.getInt();
            if (version < VERSION_WITHOUT_MODELS || version > VERSION) {
                throw new IOException(file + " has columns of version " + version + ", this admap reads "
                        + VERSION_WITHOUT_MODELS + " to " + VERSION + ": run 'admap map' again");
            }
            int headerLength = head.getInt();
            byte[] json = new byte[headerLength];
            map(16, headerLength).get(json);
            header = JSON.readValue(json, Header.class);
            long pos = align(16 + headerLength);
            ByteBuffer counts = map(pos, 24);
            items = Math.toIntExact(counts.getLong());
            responses = Math.toIntExact(counts.getLong());
            points = Math.toIntExact(counts.getLong());
            pos += 24;
            Column[] c = new Column[SECTIONS];
            ByteBuffer ids = version >= VERSION ? packed(file, pos, c) : plain(file, pos, c);
            responseEnds = c[0];
            scores = c[1];
            labels = c[2];
            textOffsets = c[3];
            textLengths = c[4];
            textFilters = c[5];
            itemFiles = c[6];
            promptOffsets = c[7];
            inputOffsets = c[8];
            promptHashes = c[9];
            normalisedHashes = c[10];
            idEnds = c[11];
            idBytes = ids;
            pointKeys = c[13];
            pointNs = c[14];
            pointMeans = c[15];
            pointVariances = c[16];
            pointStds = c[17];
            pointCorrelations = c[18];
            pointRegions = c[19];
            modelIndexes = c[20];
            referenceOffsets = c[21];
            if (modelIndexes != null && header.models() == null) {
                throw new IOException(file + " has a models' column without their names");
            }
            modelNames = modelIndexes == null ? null : header.models().toArray(new String[0]);
            ok = true;
        } finally {
            if (!ok) {
                channel.close();
            }
        }
    }

    /** The sections, in order: the columns and, at {@link #ID_BYTES}, the ids' bytes. */
    private static final int SECTIONS = 22;
    private static final int ID_BYTES = 12;

    /**
     * The columns of version 3 into {@code c} from the footer's table of sections; the ids'
     * bytes returned.
     */
    private ByteBuffer packed(Path file, long first, Column[] c) throws IOException {
        long size = channel.size();
        long footer = size < first + 8 ? -1 : map(size - 8, 8).getLong();
        long footerBytes = 8 + 24L * SECTIONS + 8;
        if (footer < first || footer + footerBytes != size) {
            throw new IOException(file + " is " + size + " bytes, its footer says " + footer
                    + ": not a whole columns file");
        }
        ByteBuffer f = map(footer, footerBytes - 8);
        long sections = f.getLong();
        if (sections != SECTIONS) {
            throw new IOException(file + " has " + sections + " sections, version " + version + " has " + SECTIONS);
        }
        long[] counts = counts(items, responses, points);
        long pos = first;
        ByteBuffer ids = null;
        for (int s = 0; s < SECTIONS; s++) {
            long start = f.getLong();
            long length = f.getLong();
            long count = f.getLong();
            long end = s == ID_BYTES ? align(start + length) : start + length + PackedColumn.directoryBytes(count);
            if (start != pos || length < 0 || end > footer || (s != ID_BYTES && count != counts[s])) {
                throw new IOException(file + ": section " + s + " at " + start + " (" + length + " bytes, " + count
                        + " values) does not follow the one before at " + pos + " or does not fit");
            }
            if (s == ID_BYTES) {
                ids = map(start, length);
            } else {
                c[s] = new PackedColumn(map(start, length), map(start + length, end - start - length), count,
                        file + " section " + s);
            }
            pos = end;
        }
        if (pos != footer) {
            throw new IOException(file + ": " + (footer - pos) + " bytes between the last section and the footer");
        }
        return ids;
    }

    /** The fixed-width columns of versions 1 and 2 into {@code c}, one after the other; the ids' bytes returned. */
    private ByteBuffer plain(Path file, long pos, Column[] c) throws IOException {
        long[] sizes = sections(items, responses, points, -1, version >= VERSION_WITH_MODELS);
        long[] counts = counts(items, responses, points);
        ByteBuffer ids = null;
        for (int s = 0; s < sizes.length; s++) {
            long size = s == ID_BYTES ? idByteCount(pos) : sizes[s];
            ByteBuffer b = map(pos, size);
            if (s == ID_BYTES) {
                ids = b;
            } else {
                c[s] = Column.plain(b, counts[s] == 0 ? 8 : (int) (size / counts[s]));
            }
            pos = align(pos + size);
        }
        if (pos != channel.size()) {
            throw new IOException(file + " is " + channel.size() + " bytes, its columns say " + pos);
        }
        return ids;
    }

    /** The id bytes' size is the last of the id ends, just before them (versions 1 and 2). */
    private long idByteCount(long pos) throws IOException {
        if (items == 0) {
            return 0;
        }
        // the id ends section is the one before; its last int is at pos - padding - 4
        long endsStart = pos - align(4L * items);
        return map(endsStart + 4L * (items - 1), 4).getInt() & 0xffffffffL;
    }

    /** The count of values of each section (the ids' bytes: -1, unknown). */
    private static long[] counts(long items, long responses, long points) {
        return new long[] {
                items, responses, responses, responses, responses, responses, items, items, items, items, items,
                items, -1, points, points, points, points, points, points, points, responses, items
        };
    }

    /** The byte sizes of the sections of versions 1 and 2, in order (the id bytes' size given, or -1 where unknown). */
    private static long[] sections(long items, long responses, long points, long idBytes, boolean models) {
        long[] v1 = {
                4 * items, // response ends
                8 * responses, 8 * responses, // scores, labels
                8 * responses, 4 * responses, 8 * responses, // text offsets, lengths, filters
                4 * items, // input file of each item
                8 * items, 8 * items, 8 * items, 8 * items, // prompt and input offsets, prompt hashes
                4 * items, idBytes, // id ends, id bytes (UTF-8)
                4 * points, 4 * points, 8 * points, 8 * points, 8 * points, 8 * points, points // the map
        };
        if (!models) {
            return v1;
        }
        long[] v2 = java.util.Arrays.copyOf(v1, v1.length + 2);
        v2[v1.length] = 4 * responses; // each response's model index
        v2[v1.length + 1] = 8 * items; // each item's reference offset
        return v2;
    }

    private ByteBuffer map(long pos, long size) throws IOException {
        MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, pos, size);
        return m.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long align(long pos) {
        return (pos + 7) & ~7L;
    }

    /** The columns of a run directory, or null when it has none (made by the full ingest, or by an older admap). */
    public static RunColumns open(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        return Files.isRegularFile(file) ? new RunColumns(file) : null;
    }

    public Header header() {
        return header;
    }

    public int items() {
        return items;
    }

    public int responses() {
        return responses;
    }

    /** Item {@code key}'s responses are {@code [responseStart(key), responseEnd(key))}. */
    public int responseStart(int key) {
        return key == 0 ? 0 : responseEnds.getInt(key - 1);
    }

    public int responseEnd(int key) {
        return responseEnds.getInt(key);
    }

    public double score(int response) {
        return scores.getDouble(response);
    }

    public double label(int response) {
        return labels.getDouble(response);
    }

    /** The scores of the map's source: the labels when the map is on the labels. */
    public double mapScore(int response) {
        return "labels".equals(header.scoreSource()) ? label(response) : score(response);
    }

    public long textOffset(int response) {
        return textOffsets.get(response);
    }

    public int textLength(int response) {
        return textLengths.getInt(response);
    }

    public long textFilter(int response) {
        return textFilters.get(response);
    }

    /**
     * Whether the columns hold the responses' models ({@link #model}): false for columns
     * written by an older admap, whose readers then read the models from the input.
     */
    public boolean hasModels() {
        return modelIndexes != null;
    }

    /**
     * The model of response {@code response} as the full ingest reads it, null where it has
     * none; equal names are one String.
     *
     * @throws IllegalStateException when the columns hold no models ({@link #hasModels()})
     */
    public String model(int response) {
        if (modelIndexes == null) {
            throw new IllegalStateException("these columns are of version 1, without the responses' models");
        }
        int m = modelIndexes.getInt(response);
        return m < 0 ? null : modelNames[m];
    }

    /**
     * The index of response {@code response}'s model in {@link Header#models()}, -1 where it
     * has none: for a reader that counts by model without a String per response.
     *
     * @throws IllegalStateException when the columns hold no models ({@link #hasModels()})
     */
    public int modelIndex(int response) {
        if (modelIndexes == null) {
            throw new IllegalStateException("these columns are of version 1, without the responses' models");
        }
        return modelIndexes.getInt(response);
    }

    /**
     * The offset of item {@code key}'s reference literal, or -1 where it has none (or null).
     *
     * @throws IllegalStateException when the columns are of version 1 ({@link #hasModels()} false)
     */
    public long referenceOffset(int key) {
        if (referenceOffsets == null) {
            throw new IllegalStateException("these columns are of version 1, without the references' offsets");
        }
        return referenceOffsets.get(key);
    }

    /** The index in {@link Header#inputs()} of the file item {@code key} was read from. */
    public int file(int key) {
        return itemFiles.getInt(key);
    }

    public long promptOffset(int key) {
        return promptOffsets.get(key);
    }

    /** The offset of the item's alpaca-style input literal, or -1. */
    public long inputOffset(int key) {
        return inputOffsets.get(key);
    }

    public long promptHash(int key) {
        return promptHashes.get(key);
    }

    public long normalisedHash(int key) {
        return normalisedHashes.get(key);
    }

    public String id(int key) {
        int from = key == 0 ? 0 : idEnds.getInt(key - 1);
        int to = idEnds.getInt(key);
        byte[] b = new byte[to - from];
        idBytes.get(from, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The map's points in key order, as {@code map} made them. */
    public List<MapPoint> points() {
        return points(true);
    }

    /**
     * The map's points in key order; without {@code ids} each point's id is null, for a caller
     * that looks up ({@link #id}) only the few it needs: a million id strings are a large part
     * of a diagnosis's heap and time.
     */
    public List<MapPoint> points(boolean ids) {
        // on every core: a million points are a tenth of a select's time, spent before anything else can start
        MapPoint[] out = new MapPoint[points];
        IntStream.range(0, points).parallel().forEach(p -> out[p] = point(p, ids));
        return new ArrayList<>(Arrays.asList(out));
    }

    /** How many points the map has. */
    public int pointCount() {
        return points;
    }

    /** The key of point {@code p} (in point order, as {@link #points} lists them). */
    public int pointKey(int p) {
        return pointKeys.getInt(p);
    }

    /** The number of scores point {@code p}'s statistics are over (in point order, as {@link #point}). */
    public int pointN(int p) {
        return pointNs.getInt(p);
    }

    /** Point {@code p}'s mean score. */
    public double pointMean(int p) {
        return pointMeans.getDouble(p);
    }

    /** Point {@code p}'s score variance. */
    public double pointVariance(int p) {
        return pointVariances.getDouble(p);
    }

    /** Point {@code p}'s standard deviation. */
    public double pointStd(int p) {
        return pointStds.getDouble(p);
    }

    /** Point {@code p}'s label/score correlation, NaN where it has none. */
    public double pointCorrelation(int p) {
        return pointCorrelations.getDouble(p);
    }

    /** Point {@code p}'s region. */
    public Region pointRegion(int p) {
        return REGIONS[pointRegions.getInt(p)];
    }

    /**
     * Point {@code p} (in point order), with its id or, without {@code id}, a null one: for a
     * caller that walks a million points one at a time instead of holding them all.
     */
    public MapPoint point(int p, boolean id) {
        int key = pointKeys.getInt(p);
        return new MapPoint(key, id ? id(key) : null, pointNs.getInt(p), pointMeans.getDouble(p),
                pointVariances.getDouble(p), pointStds.getDouble(p), REGIONS[pointRegions.getInt(p)],
                pointCorrelations.getDouble(p));
    }

    /**
     * The map's means and variances in point order, as {@link #points} holds them: what a
     * degeneracy test needs, without a million points.
     */
    public double[][] meansAndVariances() {
        double[] means = new double[points];
        double[] variances = new double[points];
        IntStream.range(0, points).parallel().forEach(p -> { // what select waits for first: on every core
            means[p] = pointMeans.getDouble(p);
            variances[p] = pointVariances.getDouble(p);
        });
        return new double[][] {means, variances};
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ---- writing -------------------------------------------------------------------------

    /**
     * Writes the columns of a scan and its map into the run directory, atomically.
     *
     * @param inputs the scanned files as they were when scanned
     */
    public static void write(Path runDir, List<InputFile> inputs, ScannedScores scan, ScanMap scanMap)
            throws IOException {
        writeFile(runDir.resolve(FILE), inputs, scan, scanMap);
    }

    /**
     * Writes the columns of a scan and its map into {@code target}, atomically: a run's commit
     * stages the file under another name and renames it with the run's other files.
     */
    public static void writeFile(Path target, List<InputFile> inputs, ScannedScores scan, ScanMap scanMap)
            throws IOException {
        AlignmentMap map = scanMap.map();
        int chunks = scan.chunkCount();
        List<String> models = new ArrayList<>();
        int[][] modelIndex = modelIndexes(scan, models);
        Header header = new Header(inputs, map.provenance().scoreSource(), scanMap.labels(),
                map.provenance().correlation(), map.provenance().created().toString(), models);
        long items = scan.items();
        long responses = scan.responses();
        List<MapPoint> pts = map.points();
        try (AtomicFile file = new AtomicFile(target)) {
            Out out = new Out(file.stream());
            out.bytes(MAGIC);
            byte[] json = JSON.writeValueAsBytes(header);
            out.int32(VERSION);
            out.int32(json.length);
            out.bytes(json);
            out.pad();
            out.int64(items);
            out.int64(responses);
            out.int64(pts.size());
            List<Section> sections = new ArrayList<>();
            PackedColumn.Writer ends = new PackedColumn.Writer(out);
            int base = 0;
            for (int c = 0; c < chunks; c++) { // response ends, over the whole run
                ScannedScores.ChunkColumns cc = scan.columns(c, false);
                for (int i = 0; i < cc.items(); i++) {
                    ends.add(base + cc.responseEnds()[i]);
                }
                base += count(cc);
            }
            sections.add(ends.finish());
            sections.add(column(out, true, chunks, (c, w) -> {
                ScannedScores.ChunkColumns cc = scan.columns(c, false);
                w.doubles(cc.scores(), count(cc));
            }));
            sections.add(column(out, true, chunks, (c, w) -> {
                ScannedScores.ChunkColumns cc = scan.columns(c, false);
                w.doubles(cc.labels(), count(cc));
            }));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).textOffsets(), count(scan.columns(c, false)))));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.ints(scan.texts(c).textLengths(), count(scan.columns(c, false)))));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).textFilters(), count(scan.columns(c, false)))));
            sections.add(column(out, false, chunks, (c, w) -> {
                int n = scan.columns(c, false).items();
                int f = scan.texts(c).file();
                for (int i = 0; i < n; i++) {
                    w.add(f);
                }
            }));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).promptOffsets(), scan.columns(c, false).items())));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).inputOffsets(), scan.columns(c, false).items())));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).promptHashes(), scan.columns(c, false).items())));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).normalisedHashes(), scan.columns(c, false).items())));
            PackedColumn.Writer idEnds = new PackedColumn.Writer(out);
            long end = 0;
            for (int c = 0; c < chunks; c++) {
                ScannedScores.ChunkColumns cc = scan.columns(c, false);
                for (int i = 0; i < cc.items(); i++) {
                    end += cc.ids()[i].getBytes(StandardCharsets.UTF_8).length; // written below
                    if (end > Integer.MAX_VALUE) {
                        throw new IOException("the run's ids are more than 2 GB of UTF-8: too many for one run's"
                                + " columns");
                    }
                    idEnds.add(end);
                }
            }
            sections.add(idEnds.finish());
            long idStart = out.position();
            for (int c = 0; c < chunks; c++) {
                ScannedScores.ChunkColumns cc = scan.columns(c, false);
                for (int i = 0; i < cc.items(); i++) {
                    out.bytes(cc.ids()[i].getBytes(StandardCharsets.UTF_8));
                }
            }
            sections.add(new Section(idStart, out.position() - idStart, out.position() - idStart));
            out.pad();
            sections.add(points(out, false, pts, p -> p.key()));
            sections.add(points(out, false, pts, p -> p.n()));
            sections.add(points(out, true, pts, p -> Double.doubleToRawLongBits(p.mean())));
            sections.add(points(out, true, pts, p -> Double.doubleToRawLongBits(p.variance())));
            sections.add(points(out, true, pts, p -> Double.doubleToRawLongBits(p.std())));
            sections.add(points(out, true, pts, p -> Double.doubleToRawLongBits(p.correlation())));
            sections.add(points(out, false, pts, p -> p.region().ordinal()));
            sections.add(column(out, false, chunks, (c, w) -> {
                int[] byResponse = scan.models(c).byResponse();
                int[] global = modelIndex[c];
                int n = count(scan.columns(c, false));
                for (int r = 0; r < n; r++) {
                    w.add(byResponse[r] < 0 ? -1 : global[byResponse[r]]);
                }
            }));
            sections.add(column(out, false, chunks,
                    (c, w) -> w.longs(scan.texts(c).referenceOffsets(), scan.columns(c, false).items())));
            long footer = out.position();
            out.int64(sections.size());
            for (Section x : sections) {
                out.int64(x.start());
                out.int64(x.length());
                out.int64(x.count());
            }
            out.int64(footer);
            out.flush();
            file.commit();
        }
    }

    /** Where a section of a version 3 file lies: its start, its data's length, its count of values. */
    record Section(long start, long length, long count) {
    }

    /** A chunk's values of one column, added to its writer. */
    private interface ChunkValues {
        void addTo(int chunk, PackedColumn.Writer w) throws IOException;
    }

    /** One column of the run, chunk by chunk. */
    private static Section column(Out out, boolean dictionaries, int chunks, ChunkValues values) throws IOException {
        return PackedColumn.write(out, dictionaries, w -> {
            for (int c = 0; c < chunks; c++) {
                values.addTo(c, w);
            }
        });
    }

    /** One column of the map, a value per point. */
    private static Section points(Out out, boolean dictionaries, List<MapPoint> pts,
                                  java.util.function.ToLongFunction<MapPoint> value) throws IOException {
        return PackedColumn.write(out, dictionaries, w -> {
            for (MapPoint p : pts) {
                w.add(value.applyAsLong(p));
            }
        });
    }

    /**
     * The run's model dictionary, into {@code names} in order of first use over the
     * responses, and per chunk the index in it of each of the chunk's own models (-1 for one
     * no response uses); names the input spelled two ways are one entry.
     */
    private static int[][] modelIndexes(ScannedScores scan, List<String> names) throws IOException {
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        int[][] out = new int[scan.chunkCount()][];
        for (int c = 0; c < out.length; c++) {
            ScannedScores.ChunkModels cm = scan.models(c);
            int[] global = new int[cm.names().length];
            java.util.Arrays.fill(global, -1);
            int n = count(scan.columns(c, false));
            for (int r = 0; r < n; r++) {
                int local = cm.byResponse()[r];
                if (local >= 0 && global[local] < 0) {
                    global[local] = index.computeIfAbsent(cm.names()[local], k -> {
                        names.add(k);
                        return names.size() - 1;
                    });
                }
            }
            out[c] = global;
        }
        return out;
    }

    private static int count(ScannedScores.ChunkColumns cc) {
        return cc.items() == 0 ? 0 : cc.responseEnds()[cc.items() - 1];
    }

    /** A little-endian writer that keeps count of its position, for the padding and the sections' places. */
    static final class Out {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long pos;

        Out(OutputStream out) {
            this.out = new BufferedOutputStream(out, 1 << 16);
        }

        /** The bytes written so far. */
        long position() {
            return pos;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }

        void bytes(byte[] b) throws IOException {
            bytes(b, 0, b.length);
        }

        void bytes(byte[] b, int from, int length) throws IOException {
            room(length);
            if (length > buf.capacity()) {
                out.write(b, from, length);
            } else {
                buf.put(b, from, length);
            }
            pos += length;
        }

        void int8(int v) throws IOException {
            room(1);
            buf.put((byte) v);
            pos++;
        }

        void int32(int v) throws IOException {
            room(4);
            buf.putInt(v);
            pos += 4;
        }

        void int64(long v) throws IOException {
            room(8);
            buf.putLong(v);
            pos += 8;
        }

        void pad() throws IOException {
            while ((pos & 7) != 0) {
                int8(0);
            }
        }

        void flush() throws IOException {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
            out.flush();
        }
    }
}
