package org.admap.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON reader configuration every input format shares. */
final class JsonSupport {

    /**
     * Lenient where real data is lenient, strict where it matters: Python's json module
     * writes NaN and Infinity, so they parse here and are rejected with a field name by the
     * layouts instead of failing as "malformed JSON". Huge strings (a megabyte-long
     * response) are allowed: the default 20 MB cap on a single string is lifted.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(10_000)
                            .build())
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // a repeated key is an error naming it ("Duplicate field 'prompt'"), not the last value kept
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonSupport() {
    }

    /** Shortens a parser message to its first line, without Jackson's source excerpt. */
    static String shortMessage(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        int at = m.indexOf(" at [Source");
        return at >= 0 ? m.substring(0, at) : m;
    }
}
