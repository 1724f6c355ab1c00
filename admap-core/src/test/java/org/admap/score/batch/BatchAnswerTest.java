package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An answer line of the Batch API, as the importer reads it. */
class BatchAnswerTest {

    private static final String ID = "admap:f00d:41:0,2";

    @Test
    void anAnsweredRequestCarriesItsBody() {
        String line = "{\"custom_id\":\"" + ID + "\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[]}}}";
        BatchAnswer a = BatchAnswer.parse(line);
        assertThat(a.id()).isEqualTo(CustomId.parse(ID));
        assertThat(a.body().has("choices")).isTrue();
        assertThat(a.error()).isNull();
        assertThat(a.notRun()).isFalse();
        assertThat(a.raw()).isEqualTo(line);
    }

    @Test
    void aFailedRequestSaysWhyWithItsCode() {
        BatchAnswer a = BatchAnswer.parse("{\"custom_id\":\"" + ID + "\",\"response\":null,"
                + "\"error\":{\"code\":\"invalid_request\",\"message\":\"bad body\"}}");
        assertThat(a.body()).isNull();
        assertThat(a.error()).isEqualTo("invalid_request: bad body");
        assertThat(a.notRun()).isFalse();
    }

    @Test
    void aRequestTheBatchEndedBeforeIsNotRunRatherThanFailed() {
        for (String code : new String[] {"batch_expired", "batch_cancelled"}) {
            BatchAnswer a = BatchAnswer.parse("{\"custom_id\":\"" + ID + "\",\"error\":{\"code\":\"" + code
                    + "\",\"message\":\"m\"}}");
            assertThat(a.notRun()).as(code).isTrue();
        }
    }

    @Test
    void anHttpErrorNamesItsStatusAndTheServersMessage() {
        BatchAnswer a = BatchAnswer.parse("{\"custom_id\":\"" + ID + "\",\"response\":{\"status_code\":429,"
                + "\"body\":{\"error\":{\"message\":\"slow down\"}}}}");
        assertThat(a.error()).isEqualTo("HTTP 429: slow down");
        BatchAnswer bare = BatchAnswer.parse("{\"custom_id\":\"" + ID + "\",\"response\":{\"status_code\":500}}");
        assertThat(bare.error()).isEqualTo("HTTP 500");
    }

    @Test
    void linesThatAreNotAdmapsRequestsAreNone() {
        assertThat(BatchAnswer.parse("not json")).isNull();
        assertThat(BatchAnswer.parse("{\"custom_id\":\"someone-else-1\"}")).isNull();
        assertThat(BatchAnswer.parse("{\"response\":{\"status_code\":200,\"body\":{}}}")).isNull();
    }
}
