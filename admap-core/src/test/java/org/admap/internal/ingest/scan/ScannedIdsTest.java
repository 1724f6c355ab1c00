package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScannedIdsTest {

    @Test
    void addsAndFindsIdsAcrossChunksAsASetOfStringsDoes() {
        Random random = new Random(3);
        List<ScannedChunk> chunks = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < 7; c++) {
            ScannedChunk chunk = new ScannedChunk(0, c, c + 1);
            int n = c == 3 ? 0 : random.nextInt(400); // an empty chunk among them
            for (int i = 0; i < n; i++) {
                // few distinct ids, many repeats, and strings of one hash code ("Aa" and "BB")
                String id = switch (random.nextInt(3)) {
                    case 0 -> "id-" + random.nextInt(300);
                    case 1 -> random.nextBoolean() ? "Aa" + random.nextInt(5) : "BB" + random.nextInt(5);
                    default -> "x".repeat(random.nextInt(4));
                };
                chunk.endItem(id, 0, -1, -1, 0, 0);
                ids.add(id);
            }
            chunk.trim();
            chunks.add(chunk);
        }
        ScannedIds seen = new ScannedIds(chunks);
        Set<String> expected = new HashSet<>();
        for (int item = 0; item < ids.size(); item++) {
            String id = ids.get(item);
            assertThat(seen.contains(id)).as("contains %s before item %d", id, item).isEqualTo(expected.contains(id));
            assertThat(seen.add(item)).as("add item %d (%s)", item, id).isEqualTo(expected.add(id));
            assertThat(seen.contains(id)).isTrue();
        }
        assertThat(seen.contains("id-300")).isFalse();
        assertThat(seen.contains("Ab0")).isFalse();
    }
}
