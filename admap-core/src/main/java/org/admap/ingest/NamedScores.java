package org.admap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.ingest.group.GroupingOptions;
import org.admap.model.InputScore;
import org.admap.model.Item;
import org.admap.model.Response;

/**
 * Reads the named score sources of {@code --score-field NAME=FIELD} from each row: the row is
 * read once more per source by the file's own layout with {@code FIELD} as its score field, so
 * that a named source means in every layout what that layout's score field means (a row field
 * in {@code long}, a response field in {@code multi}, an annotation in {@code ultrafeedback}),
 * lists of samples included.
 */
final class NamedScores {

    private final List<String> names = new ArrayList<>();
    private final List<RowLayout> layouts = new ArrayList<>();

    private NamedScores() {
    }

    /** The reader of the options' named sources for a file of this layout, or null when none are named. */
    static NamedScores of(RowLayout main, JsonNode first, IngestOptions options, String file) {
        List<GroupingOptions.ScoreField> fields = options.grouping().scoreFields();
        if (fields.isEmpty()) {
            return null;
        }
        if (!main.readsScoreField()) {
            throw IngestException.forFile(file, "the " + main.description() + " layout reads its scores from fixed"
                    + " fields, so --score-field " + fields.get(0).source() + "=" + fields.get(0).field()
                    + " has no field to read; named score sources need a layout with a score field per response"
                    + " (long, multi, ultrafeedback)");
        }
        NamedScores named = new NamedScores();
        for (GroupingOptions.ScoreField f : fields) {
            IngestOptions o = options.withFields(options.promptField(),
                    options.responseField(), f.field(), options.labelField(), options.modelField(), options.idField());
            named.names.add(f.source());
            named.layouts.add(LayoutDetector.detect(first, o, file));
        }
        return named;
    }

    /** The item with each response's named scores, read from the row it came from. */
    Item attach(Item item, SourceRecord record) {
        List<Map<String, InputScore>> byResponse = new ArrayList<>();
        for (int i = 0; i < item.responses().size(); i++) {
            byResponse.add(new LinkedHashMap<>());
        }
        for (int s = 0; s < names.size(); s++) {
            Item other = layouts.get(s).read(record);
            if (other.responses().size() != item.responses().size()) {
                throw new IllegalStateException("the layout read " + other.responses().size() + " responses for "
                        + names.get(s) + " and " + item.responses().size() + " for the row at " + record.location());
            }
            for (int i = 0; i < other.responses().size(); i++) {
                Response r = other.responses().get(i);
                if (r.hasScore()) {
                    byResponse.get(i).put(names.get(s), new InputScore(r.score(), r.samples()));
                }
            }
        }
        List<Response> responses = new ArrayList<>(item.responses().size());
        for (int i = 0; i < item.responses().size(); i++) {
            responses.add(item.responses().get(i).withSources(byResponse.get(i)));
        }
        return item.withResponses(responses);
    }
}
