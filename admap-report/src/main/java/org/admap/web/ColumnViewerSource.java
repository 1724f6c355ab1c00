package org.admap.web;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.admap.internal.store.Reviews;
import org.admap.report.ScannedRunView;

/**
 * A {@link ViewerSource} on a scanned run without its store: texts read from the inputs by
 * offset and checked ({@link ScannedRunView}); no reviews yet (the first builds the store).
 * Its search index ({@link org.admap.report.TextSearchIndex}) is opened, or built, in the
 * background from the start, so that the first search of a user finds it ready.
 */
final class ColumnViewerSource implements ViewerSource {

    private final ScannedRunView view;

    ColumnViewerSource(ScannedRunView view, Consumer<String> notices) {
        this.view = view;
        view.prepareSearch(notices);
    }

    @Override
    public Optional<Viewed> item(int key, int maxChars) throws IOException {
        return view.item(key, maxChars).map(d -> new Viewed(d, List.of()));
    }

    @Override
    public BitSet search(String query) throws IOException {
        return view.search(query);
    }

    @Override
    public Map<Integer, Reviews.Mark> marks() {
        return Map.of();
    }

    @Override
    public void close() throws IOException {
        view.close();
    }
}
