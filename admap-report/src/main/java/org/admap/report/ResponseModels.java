package org.admap.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.columns.RunColumns;

/**
 * Each response's model as a number, and the names the numbers stand for: a handful of names
 * over a million responses, so that the model statistics count in arrays. A response without a
 * model counts under the name {@code ""}, as the store's statistics group it; only names some
 * response has are listed.
 *
 * @param model each response's index in {@code names}
 * @param names the distinct names, in no particular order
 */
record ResponseModels(int[] model, List<String> names) {

    /** From each response's model name (null for none), equal names being one String or equal Strings. */
    static ResponseModels of(String[] byResponse) {
        Map<String, Integer> index = new HashMap<>();
        List<String> names = new ArrayList<>();
        int[] model = new int[byResponse.length];
        // equal names are one String (the columns', or canonicalised as read): the first few
        // names are found by identity, without a hash lookup per response
        String[] firstNames = new String[16];
        int few = 0;
        for (int r = 0; r < byResponse.length; r++) {
            String m = byResponse[r] == null ? "" : byResponse[r];
            int i = -1;
            for (int q = 0; q < few; q++) {
                if (firstNames[q] == m) {
                    i = q;
                    break;
                }
            }
            if (i < 0) {
                Integer known = index.get(m);
                if (known == null) {
                    known = names.size();
                    index.put(m, known);
                    names.add(m);
                    if (known == few && few < firstNames.length) {
                        firstNames[few++] = m;
                    }
                }
                i = known;
            }
            model[r] = i;
        }
        return new ResponseModels(model, names);
    }

    /**
     * From the columns' model indexes ({@link RunColumns#modelIndex}), without a String per
     * response; the columns must hold models ({@link RunColumns#hasModels()}).
     */
    static ResponseModels of(RunColumns columns) {
        List<String> header = columns.header().models();
        int[] model = new int[columns.responses()];
        boolean[] seen = new boolean[header.size() + 1]; // [0]: no model
        for (int r = 0; r < model.length; r++) {
            int code = columns.modelIndex(r) + 1;
            model[r] = code;
            seen[code] = true;
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> names = new ArrayList<>();
        int[] local = new int[seen.length];
        for (int code = 0; code < seen.length; code++) {
            if (seen[code]) {
                String name = code == 0 || header.get(code - 1) == null ? "" : header.get(code - 1);
                local[code] = index.computeIfAbsent(name, n -> {
                    names.add(n);
                    return names.size() - 1;
                });
            }
        }
        for (int r = 0; r < model.length; r++) {
            model[r] = local[model[r]];
        }
        return new ResponseModels(model, names);
    }
}
