package org.admap.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instructions read back for people: every response with its scores and provenance, texts cut as asked. */
class ItemDetailsTest {

    @TempDir
    Path dir;

    @Test
    void anInstructionComesWithEveryResponseLabelModelAndScoreProvenance() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            ItemDetails.Detail a = ItemDetails.of(store).item(0, 1000).orElseThrow();
            assertThat(a.id()).isEqualTo("a");
            assertThat(a.prompt().text()).isEqualTo("First <b>bold</b> question?");
            assertThat(a.reference().text()).isEqualTo("ref");
            assertThat(a.file()).endsWith("data.jsonl");
            assertThat(a.line()).isEqualTo(1);
            assertThat(a.responses()).extracting(ItemDetails.ResponseDetails::model).containsExactly("m1", "m2", "m3");
            assertThat(a.responses()).extracting(r -> r.label()).containsExactly(1.0, 3.0, 5.0);
            assertThat(a.responses()).extracting(r -> r.inputScore()).containsExactly(1.0, 5.0, 9.0);
            ItemDetails.Score ok = a.responses().get(0).scores().get(0);
            assertThat(ok.source()).isEqualTo("judge");
            assertThat(ok.value()).isEqualTo(2.0);
            assertThat(ok.status()).isEqualTo("ok");
            assertThat(ok.model()).isEqualTo("gpt-test");
            assertThat(ok.tokensIn()).isEqualTo(100);
            assertThat(ok.latencyMs()).isEqualTo(250);
            assertThat(ok.rawOutput().text()).isEqualTo("{\"score\": 2}");
            ItemDetails.Score failed = a.responses().get(1).scores().get(0);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.value()).isNaN();
            assertThat(failed.error()).isEqualTo("unparseable answer");
            assertThat(a.responses().get(2).scores()).isEmpty();
            assertThat(ItemDetails.of(store).item(99, 10)).isEmpty();
        }
    }

    @Test
    void longTextsAreCutInTheDatabaseAndSayHowLongTheyWere() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            ItemDetails.Detail b = ItemDetails.of(store).item(1, 100).orElseThrow();
            ItemDetails.Text cut = b.responses().get(1).text();
            assertThat(cut.text()).hasSize(100);
            assertThat(cut.length()).isEqualTo(5000);
            assertThat(cut.truncated()).isTrue();
            assertThat(b.responses().get(0).text().truncated()).isFalse();
            assertThat(b.input().text()).isEqualTo("and input");
            assertThat(b.responses().get(2).model()).isNull();
        }
    }

    @Test
    void manyInstructionsAreReadInKeyOrder() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            BitSet keys = new BitSet();
            keys.set(3);
            keys.set(1);
            List<String> ids = new ArrayList<>();
            ItemDetails.of(store).items(keys, 10, d -> ids.add(d.id()));
            assertThat(ids).containsExactly("b", "d");
        }
    }

    @Test
    void excerptsAreOneLineAndCut() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            List<String> excerpts = new ArrayList<>();
            ItemDetails.of(store).forEachExcerpt(20, (key, id, text) -> excerpts.add(id + ":" + text));
            assertThat(excerpts).containsExactly("a:First <b>bold</b> qu...", "b:Second question with...",
                    "c:Third", "d:Fourth");
        }
    }

    @Test
    void searchFindsIdsAndTextIgnoringCase() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            ItemDetails details = ItemDetails.of(store);
            assertThat(details.search("QUESTION").stream().toArray()).containsExactly(0, 1);
            assertThat(details.search("AND INPUT").stream().toArray()).containsExactly(1);
            assertThat(details.search("c").stream().toArray()).contains(2);
            assertThat(details.search("100%'; drop table items; --").isEmpty()).isTrue();
            assertThat(details.search("  ").isEmpty()).isTrue();
        }
    }

    @Test
    void flagsAreReadWithWhateverColumnsTheTableHas() throws Exception {
        try (RunStore store = ViewerFixture.create(dir)) {
            List<ItemDetails.ViewerFlag> flags = ItemDetails.of(store).flags();
            assertThat(flags).extracting(ItemDetails.ViewerFlag::key, ItemDetails.ViewerFlag::reason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "low-impact"),
                            org.assertj.core.groups.Tuple.tuple(2, "misannotated"));
            assertThat(flags.get(1).fields()).containsEntry("value", 0.41).containsEntry("threshold", 0.65)
                    .containsEntry("detail", "cosine 0.41 <= 0.65");
            assertThat(flags.get(0).fields()).doesNotContainKey("detail");
            try (var st = store.connection().createStatement()) {
                st.execute("ALTER TABLE flags ADD COLUMN rank INTEGER");
                st.execute("UPDATE flags SET rank = 7");
            }
            assertThat(ItemDetails.of(store).flags().get(0).fields()).containsEntry("rank", 7L);
        }
    }
}
