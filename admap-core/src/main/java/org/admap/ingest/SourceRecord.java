package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.admap.model.SourceLocation;

/**
 * One row of an input file, whatever its format, as a JSON tree: JSON and JSON-lines rows
 * as they are, CSV rows as objects of strings, Parquet rows as DuckDB renders them to JSON.
 * Layouts read fields from it without knowing the file format.
 *
 * @param node     the row, normally an object
 * @param location where it was read, for error messages
 */
public record SourceRecord(JsonNode node, SourceLocation location) {
}
