package org.admap.ingest;

import org.admap.model.SourceLocation;

/**
 * Bad input: a record that cannot be read, with the file, line (or row) and field that
 * caused it. Its message is a complete one-line error for the user, for example
 * {@code data.jsonl:17: field 'responses[2].score': expected a number, got "abc"}.
 */
public class IngestException extends RuntimeException {

    private final transient SourceLocation location;
    private final String field;
    private final String problem;

    /**
     * @param location where the bad record is, or null for file-level problems
     * @param field    the field path within the record, or null
     * @param problem  what is wrong, in words
     */
    public IngestException(SourceLocation location, String field, String problem) {
        super(format(location, field, problem));
        this.location = location;
        this.field = field;
        this.problem = problem;
    }

    /** A problem with a whole file rather than one record. */
    public static IngestException forFile(String file, String problem) {
        return new FileProblem(file, problem);
    }

    /** The record's location, or null for file-level problems. */
    public SourceLocation location() {
        return location;
    }

    /** The offending field path, or null. */
    public String field() {
        return field;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** Whether this problem affects a single row, so that {@code --skip-bad-rows} may skip it. */
    public boolean isRowProblem() {
        return location != null;
    }

    private static String format(SourceLocation location, String field, String problem) {
        StringBuilder sb = new StringBuilder();
        if (location != null) {
            sb.append(location).append(": ");
        }
        if (field != null) {
            sb.append("field '").append(field).append("': ");
        }
        return sb.append(problem).toString();
    }

    private static final class FileProblem extends IngestException {
        FileProblem(String file, String problem) {
            super(null, null, file + ": " + problem);
        }
    }
}
