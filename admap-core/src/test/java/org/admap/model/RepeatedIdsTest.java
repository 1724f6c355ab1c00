package org.admap.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Renaming repeated ids remembers where to search next, and gives exactly the ids of the
 * search from {@code #2} it replaced, names the data already uses included.
 */
class RepeatedIdsTest {

    /** The rule as it was first written: search from #2 every time (quadratic). */
    private static List<String> fromTwo(List<String> ids) {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                int copy = 2;
                while (seen.contains(id + "#" + copy)) {
                    copy++;
                }
                id = id + "#" + copy;
                seen.add(id);
            }
            out.add(id);
        }
        return out;
    }

    private static List<String> linear(List<String> ids) {
        Set<String> seen = new HashSet<>();
        Map<String, Integer> next = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                id = RepeatedIds.rename(id, seen::contains, next);
                seen.add(id);
            }
            out.add(id);
        }
        return out;
    }

    @Test
    void givesTheIdsOfTheSearchFromTwoOnIdsThatCollideWithTheirOwnRenamings() {
        String[] pool = {"x", "x#2", "x#3", "x#5", "x#2#2", "y", "y#2", "x#4"};
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(60); i++) {
                ids.add(pool[random.nextInt(pool.length)]);
            }
            assertThat(linear(ids)).as(ids.toString()).isEqualTo(fromTwo(ids));
        }
        assertThat(linear(List.of("x#2", "x", "x", "x#3", "x"))).containsExactly("x#2", "x", "x#3", "x#3#2", "x#4");
    }

    @Test
    void fiftyThousandCopiesOfOneIdAreNumberedInOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            ids.add("same");
        }
        List<String> renamed = linear(ids); // the search from #2 took minutes on this
        assertThat(renamed.get(0)).isEqualTo("same");
        assertThat(renamed.get(1)).isEqualTo("same#2");
        assertThat(renamed.get(49_999)).isEqualTo("same#50000");
        assertThat(new HashSet<>(renamed)).hasSize(50_000);
    }
}
