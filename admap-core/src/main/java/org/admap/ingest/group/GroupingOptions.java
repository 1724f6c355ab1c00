package org.admap.ingest.group;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What happens to rows after their layout has read them: whether rows that share a prompt
 * become one instruction, how their comparisons become labels, and which further fields are
 * read as named score sources. One record, so that every layout gets the same treatment.
 *
 * @param byPrompt    group rows that share a prompt into one instruction
 *                    ({@code --group-by-prompt}); one-response-per-row layouts are always grouped
 * @param pairLabels  how comparisons become labels in a grouped instruction
 * @param scoreFields further score fields, each read as its own score source
 *                    ({@code --score-field NAME=FIELD}), in the order given
 */
public record GroupingOptions(boolean byPrompt, PairLabels pairLabels, List<ScoreField> scoreFields)
        implements Serializable {

    /** No grouping of pairs, wins minus losses where rows are grouped, no named sources. */
    public static final GroupingOptions DEFAULTS = new GroupingOptions(false, PairLabels.WINS, List.of());

    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /**
     * A score field read as a named source.
     *
     * @param source the source's name, as {@code map --scores NAME} uses it
     * @param field  the field, in the layout's sense of a score field (a row field for
     *               {@code long}, a response field for {@code multi}, an annotation for
     *               {@code ultrafeedback}); dotted paths allowed
     */
    public record ScoreField(String source, String field) implements Serializable {

        public ScoreField {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(field, "field");
            if (!SOURCE_NAME.matcher(source).matches()) {
                throw new IllegalArgumentException("score source name '" + source + "' must start with a letter or"
                        + " digit and hold only letters, digits, '_', '.' and '-'");
            }
            if (source.equals("input") || source.equals("labels")) {
                throw new IllegalArgumentException("'" + source + "' is a built-in score source: name the field"
                        + " alone (--score-field FIELD) for the input source, or choose another name");
            }
            if (field.isBlank()) {
                throw new IllegalArgumentException("--score-field " + source + "= names no field");
            }
        }
    }

    public GroupingOptions {
        Objects.requireNonNull(pairLabels, "pairLabels");
        scoreFields = List.copyOf(scoreFields);
        Set<String> names = new HashSet<>();
        for (ScoreField f : scoreFields) {
            if (!names.add(f.source())) {
                throw new IllegalArgumentException("score source '" + f.source() + "' is named twice");
            }
        }
    }

    public GroupingOptions withByPrompt(boolean value) {
        return new GroupingOptions(value, pairLabels, scoreFields);
    }

    public GroupingOptions withPairLabels(PairLabels value) {
        return new GroupingOptions(byPrompt, value, scoreFields);
    }

    public GroupingOptions withScoreFields(List<ScoreField> value) {
        return new GroupingOptions(byPrompt, pairLabels, value);
    }

    /** Whether these are the defaults (the score scan reads only default options). */
    public boolean isDefault() {
        return equals(DEFAULTS);
    }
}
