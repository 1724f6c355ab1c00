package org.admap.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Compares the regions of two map CSVs (columns id and region, any row order): the benchmark's sanity check. */
public final class RegionCheck {

    private RegionCheck() {
    }

    /** The number of ids whose region differs or that only one file has. */
    public static long differences(Path a, Path b) throws IOException {
        Map<String, String> regions = read(a);
        long differ = 0;
        long seen = 0;
        try (Reader r = Files.newBufferedReader(b, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                seen++;
                if (!row.get("region").equals(regions.get(row.get("id")))) {
                    differ++;
                }
            }
        }
        return differ + Math.abs(regions.size() - seen);
    }

    private static Map<String, String> read(Path csv) throws IOException {
        Map<String, String> regions = new HashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                regions.put(row.get("id"), row.get("region"));
            }
        }
        return regions;
    }
}
