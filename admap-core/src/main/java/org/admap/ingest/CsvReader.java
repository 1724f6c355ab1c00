package org.admap.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.admap.model.SourceLocation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads CSV or TSV with a header row. Every cell becomes a string field; layouts parse
 * numbers from it, and a cell holding a JSON list (a {@code responses} column) is parsed
 * when a list is expected. Rows are numbered from 1 after the header; a quoted cell may
 * span lines, so the number is a row, not a line.
 */
final class CsvReader implements RecordReader {

    private final String display;
    private final CountingInputStream raw;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;

    CsvReader(Path path, boolean gzip, char delimiter) throws IOException {
        this.display = path.toString();
        this.raw = new CountingInputStream(Files.newInputStream(path));
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .get();
        // strict UTF-8: bytes that are not are an error, never U+FFFD in silence
        BufferedReader text = new BufferedReader(new InputStreamReader(FileFormat.open(raw, gzip, display),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        try {
            // A byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name.
            text.mark(1);
            if (text.read() != '\uFEFF') {
                text.reset();
            }
            this.parser = CSVParser.parse(text, format);
        } catch (IllegalArgumentException e) {
            text.close();
            throw IngestException.forFile(display, "bad CSV header: " + e.getMessage());
        } catch (CharacterCodingException e) {
            text.close(); // the first 64 KB are decoded at once
            throw IngestException.forFile(display, "invalid UTF-8 in its first rows: the file must be UTF-8");
        }
        this.header = parser.getHeaderNames();
        if (header.isEmpty()) {
            parser.close();
            throw IngestException.forFile(display, "has no header row");
        }
        this.records = parser.iterator();
    }

    @Override
    public SourceRecord next() throws IOException {
        CSVRecord record;
        try {
            if (!records.hasNext()) {
                return null;
            }
            record = records.next();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                // the decoder cannot resume inside a record: the whole file is refused
                throw IngestException.forFile(display, "invalid UTF-8 near row " + (parser.getRecordNumber() + 1)
                        + ": the file must be UTF-8");
            }
            throw IngestException.forFile(display, "malformed CSV near row " + (parser.getRecordNumber() + 1)
                    + ": " + e.getCause().getMessage());
        }
        SourceLocation location = SourceLocation.row(display, record.getRecordNumber());
        if (record.size() != header.size()) {
            throw new IngestException(location, null, "has " + record.size() + " cells, the header has "
                    + header.size());
        }
        ObjectNode node = JsonSupport.MAPPER.createObjectNode();
        for (int i = 0; i < header.size(); i++) {
            node.put(header.get(i), record.get(i));
        }
        return new SourceRecord(node, location);
    }

    @Override
    public long bytesRead() {
        return raw.count();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
