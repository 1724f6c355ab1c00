package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import org.admap.internal.json.Json;
import org.junit.jupiter.api.Test;

class ViewDataNumbersTest {

    @Test
    void thePagesGeneratorWritesDoublesInTheirShortestDigits() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = ViewData.configure(Json.MAPPER.getFactory().createGenerator(out))) {
            g.writeStartArray();
            g.writeNumber(1.0e23); // JDK 17's Double.toString: 9.999999999999999E22, the same double
            g.writeNumber(2e23);
            g.writeNumber(0.1);
            g.writeNumber(0.3f);
            g.writeEndArray();
        }
        assertThat(out.toString()).isEqualTo("[1.0E23,2.0E23,0.1,0.3]");
    }
}
