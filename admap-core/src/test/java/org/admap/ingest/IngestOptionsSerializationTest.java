package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.admap.ingest.group.GroupingOptions;
import org.admap.ingest.group.PairLabels;
import org.junit.jupiter.api.Test;

/**
 * A Spark job sends {@link IngestOptions} to its executors by Java serialization, so every
 * field (layout, preset, field names, transform, grouping, columns) must survive the round
 * trip unchanged, and the transform must still compute.
 */
class IngestOptionsSerializationTest {

    @Test
    void survivesJavaSerializationWithEveryField() throws Exception {
        IngestOptions options = new IngestOptions(Layout.LONG, Preset.ALPACA_EVAL, "question", "answer", "rating",
                "grade", "generator", "qid", "context", "gold", ScoreTransform.parse("(x - 1) / 4"), true, true,
                new GroupingOptions(true, PairLabels.BRADLEY_TERRY,
                        List.of(new GroupingOptions.ScoreField("gpt35", "gpt35"),
                                new GroupingOptions.ScoreField("pandalm", "pandalm7b"))),
                new Columns(Map.of("prompt", "q", "chosen", "better", "rejected", "worse"),
                        Map.of("role_tag", "from", "content_tag", "value")));

        IngestOptions back = roundTrip(options);

        assertThat(back).isEqualTo(options).isNotSameAs(options);
        assertThat(back.layout()).isEqualTo(Layout.LONG);
        assertThat(back.preset()).isEqualTo(Preset.ALPACA_EVAL);
        assertThat(List.of(back.promptField(), back.responseField(), back.scoreField(), back.labelField(),
                back.modelField(), back.idField(), back.inputField(), back.referenceField()))
                .containsExactly("question", "answer", "rating", "grade", "generator", "qid", "context", "gold");
        assertThat(back.scoreTransform().toString()).isEqualTo("(x - 1) / 4");
        assertThat(back.scoreTransform().apply(3)).isEqualTo(0.5);
        assertThat(back.scoreTransform().isIdentity()).isFalse();
        assertThat(back.labelsFromScores()).isTrue();
        assertThat(back.skipBadRows()).isTrue();
        assertThat(back.grouping().byPrompt()).isTrue();
        assertThat(back.grouping().pairLabels()).isEqualTo(PairLabels.BRADLEY_TERRY);
        assertThat(back.grouping().scoreFields()).extracting(GroupingOptions.ScoreField::source)
                .containsExactly("gpt35", "pandalm");
        assertThat(back.columns().columns()).containsEntry("prompt", "q").containsEntry("rejected", "worse");
        assertThat(back.columns().tags()).containsEntry("role_tag", "from").containsEntry("content_tag", "value");
    }

    @Test
    void theDefaultsStayTheDefaults() throws Exception {
        IngestOptions back = roundTrip(IngestOptions.defaults());

        assertThat(back).isEqualTo(IngestOptions.defaults());
        // the identity transform is recognised by identity: the fast score scan depends on it
        assertThat(back.scoreTransform()).isSameAs(ScoreTransform.IDENTITY);
        assertThat(back.grouping().isDefault()).isTrue();
        assertThat(back.columns().isEmpty()).isTrue();
    }

    @Test
    void aWrittenIdentityIsNotTheIdentity() throws Exception {
        ScoreTransform written = ScoreTransform.parse("x");

        ScoreTransform back = roundTrip(IngestOptions.defaults().withScoreTransform(written)).scoreTransform();

        assertThat(back).isEqualTo(written).isNotEqualTo(ScoreTransform.IDENTITY);
        assertThat(back.isIdentity()).isFalse();
    }

    private static IngestOptions roundTrip(IngestOptions options) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(options);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (IngestOptions) in.readObject();
        }
    }
}
