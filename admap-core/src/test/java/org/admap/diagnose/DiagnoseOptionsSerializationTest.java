package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;

/**
 * A Spark job sends {@link DiagnoseOptions} to its executors by Java serialization, so every
 * field, the scorer list included, must survive the round trip unchanged.
 */
class DiagnoseOptionsSerializationTest {

    @Test
    void survivesJavaSerializationWithEveryField() throws Exception {
        DiagnoseOptions options = new DiagnoseOptions(Correlation.KENDALL, 0.4, 0.02, 0.07, true, 0.5,
                List.of("rm-a", "rm-b"), 0.75, 0.3, true);

        DiagnoseOptions back = roundTrip(options);

        assertThat(back).isEqualTo(options).isNotSameAs(options);
        assertThat(back.scorers()).containsExactly("rm-a", "rm-b");
        assertThat(back.weighByUncertainty()).isTrue();
    }

    @Test
    void thePaperDefaultsSurviveToo() throws Exception {
        DiagnoseOptions paper = DiagnoseOptions.paper(false).withMinMargin(0.25);

        assertThat(roundTrip(paper)).isEqualTo(paper);
    }

    private static DiagnoseOptions roundTrip(DiagnoseOptions options) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(options);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (DiagnoseOptions) in.readObject();
        }
    }
}
