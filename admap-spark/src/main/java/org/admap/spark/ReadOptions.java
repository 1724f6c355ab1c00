package org.admap.spark;

import java.io.Serializable;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.ingest.Preset;
import org.admap.ingest.ScoreTransform;

/**
 * The ingest options of a Spark job in a form that travels to the executors, where each
 * rebuilds the core's {@link IngestOptions} and reads its files with the core's readers.
 * Names are as on the command line; null fields take the layout's defaults.
 *
 * @param layout         {@code auto}, {@code multi}, {@code ultrafeedback}, {@code pairwise} or {@code long}
 * @param preset         a preset name ({@code alpaca-eval}) or null
 * @param promptField    the long layout's prompt field, or null
 * @param responseField  the long layout's response field, or null
 * @param scoreField     the score field, or null
 * @param labelField     the label field, or null
 * @param modelField     the model field, or null
 * @param idField        the id field, or null
 * @param scoreTransform an expression in {@code x} applied to every score ({@code x - 1}), or null
 * @param skipBadRows    count and skip bad rows instead of failing the job
 */
public record ReadOptions(String layout, String preset, String promptField, String responseField,
                          String scoreField, String labelField, String modelField, String idField,
                          String scoreTransform, boolean skipBadRows) implements Serializable {

    public ReadOptions {
        toIngestOptions(layout, preset, scoreTransform); // fail on the driver, not on an executor
    }

    /** Recognised layout, default fields, bad rows fail the job. */
    public static ReadOptions defaults() {
        return new ReadOptions("auto", null, null, null, null, null, null, null, null, false);
    }

    /** The core's options. */
    public IngestOptions toIngestOptions() {
        return toIngestOptions(layout, preset, scoreTransform)
                .withFields(promptField, responseField, scoreField, labelField, modelField, idField)
                .withSkipBadRows(skipBadRows);
    }

    private static IngestOptions toIngestOptions(String layout, String preset, String transform) {
        IngestOptions o = IngestOptions.defaults().withLayout(Layout.parse(layout == null ? "auto" : layout));
        if (preset != null) {
            o = o.withPreset(Preset.parse(preset));
        }
        if (transform != null) {
            o = o.withScoreTransform(ScoreTransform.parse(transform));
        }
        return o;
    }
}
