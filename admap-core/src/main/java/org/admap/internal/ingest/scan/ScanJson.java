package org.admap.internal.ingest.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/**
 * The JSON parser settings of the scan: those of the full ingest (huge strings allowed, NaN
 * parsed then refused), and the fast number parser, which rounds exactly as the JDK's does.
 */
final class ScanJson {

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(10_000)
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // correctly rounded, as Double.parseDouble
            .build();

    private ScanJson() {
    }
}
