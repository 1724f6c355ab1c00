package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.admap.internal.columns.RunColumns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Responses numbered by the columns' model indexes stand for the names their models have. */
class ResponseModelsTest {

    @TempDir
    Path tmp;

    @Test
    void columnsCodesNameEachResponsesModelAsTheNamesDo() throws IOException {
        try (RunColumns columns = ScannedDemo.columns(tmp.resolve("run"))) {
            String[] byResponse = new String[columns.responses()];
            for (int r = 0; r < byResponse.length; r++) {
                byResponse[r] = columns.model(r);
            }

            ResponseModels fromCodes = ResponseModels.of(columns);
            ResponseModels fromNames = ResponseModels.of(byResponse);

            assertThat(fromCodes.names()).hasSizeGreaterThan(1).containsExactlyInAnyOrderElementsOf(fromNames.names());
            for (int r = 0; r < byResponse.length; r++) {
                String expected = byResponse[r] == null ? "" : byResponse[r];
                assertThat(fromCodes.names().get(fromCodes.model()[r])).isEqualTo(expected);
                assertThat(fromNames.names().get(fromNames.model()[r])).isEqualTo(expected);
            }
        }
    }

    @Test
    void responsesWithoutAModelCountUnderTheEmptyName() {
        ResponseModels models = ResponseModels.of(new String[] {"a", null, "b", "a", null});

        assertThat(models.names()).containsExactly("a", "", "b");
        assertThat(models.model()).containsExactly(0, 1, 2, 0, 1);
    }
}
