package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.admap.RealData;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.Turn;
import org.junit.jupiter.api.Test;

/**
 * The published layouts on real rows from {@code ../shared/data} (skipped where absent):
 * LLaMA-Factory's demo files, TRL's zen test set in all its preference formats, and
 * PKU-SafeRLHF, each checked against values taken here straight from the raw rows with a
 * plain Jackson mapper.
 */
class RealDataLayoutsTest {

    private static final ObjectMapper RAW = new ObjectMapper();

    private static List<JsonNode> rows(Path file) throws IOException {
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            byte[] bytes = in.readAllBytes();
            List<JsonNode> rows = new ArrayList<>();
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            if (text.stripLeading().startsWith("[")) {
                RAW.readTree(text).forEach(rows::add);
            } else {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        rows.add(RAW.readTree(line));
                    }
                }
            }
            return rows;
        }
    }

    private static List<Item> read(Path file) throws IOException {
        return TestFiles.readAll(file);
    }

    private static Layout layout(Path file) throws IOException {
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            return reader.layout();
        }
    }

    private static String role(String from) {
        return switch (from) {
            case "human" -> "user";
            case "gpt" -> "assistant";
            default -> from;
        };
    }

    @Test
    void llamaFactoryDpoDemoIsShareGptWithItsTurnsKept() throws Exception {
        Path file = RealData.require("llamafactory-demo").resolve("dpo_en_demo.json.gz");
        List<JsonNode> raw = rows(file);
        List<Item> items = read(file);

        assertThat(layout(file)).isEqualTo(Layout.SHAREGPT);
        assertThat(items).hasSize(300);
        int withSystem = 0;
        for (int i = 0; i < raw.size(); i++) {
            JsonNode row = raw.get(i);
            Item item = items.get(i);
            JsonNode conv = row.get("conversations");
            assertThat(item.turns()).hasSize(conv.size());
            for (int t = 0; t < conv.size(); t++) {
                assertThat(item.turns().get(t)).isEqualTo(new Turn(role(conv.get(t).get("from").textValue()),
                        conv.get(t).get("value").textValue()));
            }
            assertThat(item.turns().get(item.turns().size() - 1).role()).isEqualTo("user");
            withSystem += item.turns().get(0).role().equals("system") ? 1 : 0;
            if (conv.size() == 1) {
                assertThat(item.prompt()).isEqualTo(conv.get(0).get("value").textValue());
            }
            assertThat(item.responses()).containsExactly(
                    new Response(row.at("/chosen/value").textValue(), Response.ABSENT, 1, null),
                    new Response(row.at("/rejected/value").textValue(), Response.ABSENT, 0, null));
        }
        assertThat(withSystem).isEqualTo(80); // as provenance.txt counts them
    }

    @Test
    void llamaFactoryDpoDemoReadsTheSameThroughItsDatasetInfoEntry() throws Exception {
        Path dir = RealData.require("llamafactory-demo");
        DatasetInfo info = DatasetInfo.read(dir.resolve("dataset_info.json"), "dpo_en_demo");
        assertThat(info.layout()).isEqualTo(Layout.SHAREGPT);
        assertThat(info.fileName()).isEqualTo("dpo_en_demo.json");

        List<Item> viaInfo = TestFiles.readAll(dir.resolve("dpo_en_demo.json.gz"), IngestOptions.defaults()
                .withLayout(info.layout()).withColumns(info.columns()));
        assertThat(viaInfo).isEqualTo(read(dir.resolve("dpo_en_demo.json.gz")));
    }

    @Test
    void llamaFactoryKtoDemoIsUnpairedWithHalfTheCompletionsDesirable() throws Exception {
        Path dir = RealData.require("llamafactory-demo");
        Path file = dir.resolve("kto_en_demo.json.gz");
        List<JsonNode> raw = rows(file);
        List<Item> items = read(file);

        assertThat(layout(file)).isEqualTo(Layout.UNPAIRED);
        assertThat(items).hasSize(300);
        for (int i = 0; i < raw.size(); i++) {
            JsonNode messages = raw.get(i).get("messages");
            Response r = items.get(i).responses().get(0);
            assertThat(r.text()).isEqualTo(messages.get(messages.size() - 1).get("content").textValue());
            assertThat(r.label()).isEqualTo(raw.get(i).get("label").booleanValue() ? 1.0 : 0.0);
            assertThat(items.get(i).turns()).hasSize(messages.size() - 1);
        }
        assertThat(items).filteredOn(it -> it.responses().get(0).label() == 1.0).hasSize(150);

        DatasetInfo info = DatasetInfo.read(dir.resolve("dataset_info.json"), "kto_en_demo");
        assertThat(info.layout()).isEqualTo(Layout.UNPAIRED);
        assertThat(TestFiles.readAll(file, IngestOptions.defaults().withLayout(info.layout())
                .withColumns(info.columns()))).isEqualTo(items);
    }

    @Test
    void llamaFactoryV1DemoSplitsAtTheSharedTurns() throws Exception {
        Path file = RealData.require("llamafactory-demo").resolve("v1_dpo_demo.jsonl");
        List<JsonNode> raw = rows(file);
        List<Item> items = read(file);

        assertThat(layout(file)).isEqualTo(Layout.LLAMAFACTORY_V1);
        assertThat(items).hasSize(10);
        for (int i = 0; i < raw.size(); i++) {
            JsonNode c = raw.get(i).get("chosen_messages");
            JsonNode r = raw.get(i).get("rejected_messages");
            int shared = 0;
            while (shared < Math.min(c.size(), r.size()) - 1 && c.get(shared).equals(r.get(shared))) {
                shared++;
            }
            assertThat(items.get(i).turns()).hasSize(shared);
            assertThat(items.get(i).turns().get(shared - 1).content())
                    .isEqualTo(c.get(shared - 1).at("/content/0/value").textValue());
            if (c.size() == shared + 1) {
                assertThat(items.get(i).responses().get(0).text()).isEqualTo(c.get(shared).at("/content/0/value")
                        .textValue());
            }
        }
    }

    /** TRL's {@code extract_prompt} on strings, written out here as TRL's data_utils has it. */
    private static String[] extractPrompt(String chosen, String rejected) {
        int idx = 0;
        int n = Math.min(chosen.length(), rejected.length());
        for (idx = 0; idx < n; idx++) {
            if (chosen.charAt(idx) != rejected.charAt(idx)) {
                if (chosen.charAt(idx - 1) == ' ') {
                    idx--;
                }
                break;
            }
        }
        return new String[] {chosen.substring(0, idx), chosen.substring(idx), rejected.substring(idx)};
    }

    @Test
    void trlStandardImplicitPromptIsSplitAsTrlsExtractPromptDoes() throws Exception {
        Path dir = RealData.require("trl-zen");
        Path file = dir.resolve("standard_implicit_prompt_preference.jsonl");
        List<JsonNode> raw = rows(file);
        List<Item> items = read(file);
        List<Item> explicit = read(dir.resolve("standard_preference.jsonl"));

        assertThat(items).hasSize(19);
        int sameAsExplicit = 0;
        for (int i = 0; i < raw.size(); i++) {
            String chosen = raw.get(i).get("chosen").textValue();
            String rejected = raw.get(i).get("rejected").textValue();
            String[] want = extractPrompt(chosen, rejected);
            Item item = items.get(i);
            assertThat(item.prompt()).isEqualTo(want[0]);
            assertThat(item.responses()).extracting(Response::text).containsExactly(want[1], want[2]);
            assertThat(item.prompt() + item.responses().get(0).text()).isEqualTo(chosen);
            sameAsExplicit += TestFiles.withoutSource(item).equals(TestFiles.withoutSource(explicit.get(i))) ? 1 : 0;
        }
        // The other 6 answers start with the same words ("than", "is", "pass"...), which TRL's rule gives the prompt.
        assertThat(sameAsExplicit).isEqualTo(13);
    }

    @Test
    void trlConversationalImplicitPromptEqualsTheExplicitFile() throws Exception {
        Path dir = RealData.require("trl-zen");
        List<Item> implicit = read(dir.resolve("conversational_implicit_prompt_preference.jsonl"));
        List<Item> explicit = read(dir.resolve("conversational_preference.jsonl"));

        assertThat(implicit).hasSize(19);
        assertThat(TestFiles.withoutSources(implicit)).isEqualTo(TestFiles.withoutSources(explicit));
        for (int i = 0; i < implicit.size(); i++) {
            assertThat(implicit.get(i).turns()).isEqualTo(explicit.get(i).turns()).hasSize(1);
        }
    }

    @Test
    void trlUnpairedFilesAreLabelledByTheirBooleans() throws Exception {
        Path dir = RealData.require("trl-zen");
        for (String name : List.of("standard_unpaired_preference.jsonl", "conversational_unpaired_preference.jsonl")) {
            Path file = dir.resolve(name);
            List<JsonNode> raw = rows(file);
            List<Item> items = read(file);
            assertThat(layout(file)).as(name).isEqualTo(Layout.UNPAIRED);
            assertThat(items).as(name).hasSize(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                JsonNode completion = raw.get(i).get("completion");
                String text = completion.isArray() ? completion.get(0).get("content").textValue()
                        : completion.textValue();
                assertThat(items.get(i).responses()).as(name).containsExactly(new Response(text, Response.ABSENT,
                        raw.get(i).get("label").booleanValue() ? 1 : 0, null));
            }
        }
    }

    @Test
    void pkuSafeRlhfLabelsFollowBetterOrSaferResponseId() throws Exception {
        Path file = RealData.require("pku-saferlhf").resolve("Alpaca-7B_test.sample.jsonl");
        List<JsonNode> raw = rows(file);
        List<Item> better = read(file);
        List<Item> safer = TestFiles.readAll(file, IngestOptions.defaults().withFields(null, null, null, "safer",
                null, null));

        assertThat(layout(file)).isEqualTo(Layout.PKU_SAFERLHF);
        assertThat(better).hasSize(26);
        int disagree = 0;
        for (int i = 0; i < raw.size(); i++) {
            JsonNode row = raw.get(i);
            int b = row.get("better_response_id").intValue();
            int s = row.get("safer_response_id").intValue();
            assertThat(better.get(i).responses().get(b).label()).isEqualTo(1.0);
            assertThat(better.get(i).responses().get(1 - b).label()).isEqualTo(0.0);
            assertThat(safer.get(i).responses().get(s).label()).isEqualTo(1.0);
            assertThat(better.get(i).responses().get(0).text()).isEqualTo(row.get("response_0").textValue());
            assertThat(better.get(i).responses().get(0).model()).isEqualTo(row.get("response_0_source").textValue());
            disagree += b != s ? 1 : 0;
        }
        assertThat(disagree).isEqualTo(2);
    }
}
