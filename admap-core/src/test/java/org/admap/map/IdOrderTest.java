package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The order of points by id with packed chars is String.compareTo's, then position's. */
class IdOrderTest {

    @Property(tries = 500)
    void comparesAsCompareToThenPosition(@ForAll("ids") List<String> ids) {
        String[] all = ids.toArray(String[]::new);
        int[] positions = new int[all.length];
        for (int t = 0; t < positions.length; t++) {
            positions[t] = all.length - 1 - t; // not in id order, nor in position order
        }
        IdOrder order = new IdOrder(all, positions);
        for (int a = 0; a < positions.length; a++) {
            for (int b = 0; b < positions.length; b++) {
                int c = all[positions[a]].compareTo(all[positions[b]]);
                int expected = c != 0 ? c : Integer.compare(positions[a], positions[b]);
                assertThat(Integer.signum(order.compare(a, b))).as("%s vs %s", all[positions[a]], all[positions[b]])
                        .isEqualTo(Integer.signum(expected));
            }
        }
    }

    /** Ids that share prefixes of every length, one a prefix of another, with NUL, high and surrogate chars, and
     * repeats. */
    @Provide
    Arbitrary<List<String>> ids() {
        Arbitrary<String> tails = Arbitraries.strings()
                .withChars('a', 'b', '\u0000', '\u00ff', '\u0100', '\uffff', '\ud83d')
                .ofMaxLength(10);
        Arbitrary<String> prefixes = Arbitraries.of("", "gen-", "a", "shared/prefix/of/many/chars/");
        return prefixes.flatMap(prefix -> tails.map(tail -> prefix + tail).list().ofMaxSize(25));
    }
}
