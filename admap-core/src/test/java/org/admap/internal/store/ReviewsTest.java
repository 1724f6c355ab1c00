package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review marks: one per instruction, kept in the store, absent until the first is set. */
class ReviewsTest {

    @TempDir
    Path dir;

    @Test
    void marksAreSetReplacedClearedAndKeptInTheStore() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            Reviews reviews = Reviews.of(store);
            assertThat(reviews.all()).isEmpty();
            reviews.set(1, "b", Reviews.Mark.DROP);
            reviews.set(2, "c", Reviews.Mark.KEEP);
            reviews.set(2, "c", Reviews.Mark.REVIEWED);
            reviews.set(3, "d", Reviews.Mark.DROP);
            reviews.set(3, "d", null);
            assertThat(reviews.all()).containsExactly(Map.entry(1, Reviews.Mark.DROP), Map.entry(2,
                    Reviews.Mark.REVIEWED));
            assertThat(reviews.dropped().stream().toArray()).containsExactly(1);
            assertThat(reviews.counts()).containsEntry(Reviews.Mark.DROP, 1).containsEntry(Reviews.Mark.KEEP, 0)
                    .containsEntry(Reviews.Mark.REVIEWED, 1);
        }
        try (RunStore store = RunStore.open(dir.resolve(RunStore.FILE_NAME))) {
            assertThat(Reviews.of(store).all()).containsEntry(1, Reviews.Mark.DROP);
        }
    }

    @Test
    void readingARunWithoutReviewsCreatesNothing() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            assertThat(Reviews.of(store).dropped().isEmpty()).isTrue();
            try (var st = store.connection().createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reviews'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void marksParseByName() {
        assertThat(Reviews.Mark.parse(" Drop ")).isEqualTo(Reviews.Mark.DROP);
        assertThatThrownBy(() -> Reviews.Mark.parse("delete")).hasMessageContaining("reviewed, keep or drop");
    }
}
