package org.admap.ingest;

import static org.admap.ingest.TestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.admap.internal.image.ImageFiles;
import org.admap.model.ImageRef;
import org.admap.model.Item;
import org.admap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layout's prompt may carry images: LLaMA-Factory's {@code images} column, OpenAI-style
 * {@code image_url} parts, an {@code image} field with a path, URL, base64 or a Hugging Face
 * image struct. Images in assistant messages are not the prompt's; a bad reference fails its row.
 */
class PromptImagesTest {

    @TempDir
    Path dir;

    @Test
    void llamaFactorySharegptImagesColumnIsReadAndResolvedBesideTheFile() throws Exception {
        Path f = TestFiles.write(dir, "mllm.json", "[{\"conversations\": [{\"from\": \"human\", \"value\":"
                + " \"<image>Who are they?\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"Two players.\"},"
                + " \"rejected\": {\"from\": \"gpt\", \"value\": \"A cat.\"},"
                + " \"images\": [\"mllm_demo_data/1.jpg\"]}]");

        Item item = readAll(f).get(0);

        assertThat(item.prompt()).isEqualTo("<image>Who are they?");
        assertThat(item.images()).extracting(ImageRef::source, ImageRef::location).containsExactly(
                org.assertj.core.groups.Tuple.tuple("mllm_demo_data/1.jpg",
                        dir.resolve("mllm_demo_data/1.jpg").toAbsolutePath().normalize().toString()));
    }

    @Test
    void openAiImageUrlPartsOfThePromptAreItsImagesOnceEachAndTheirTextIsThePrompt() throws Exception {
        String prompt = "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"What is this?\"},"
                + " {\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.org/a.png\"}}]}]";
        String assistantWithImage = "[{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"A"
                + " tree.\"}, {\"type\": \"image_url\", \"image_url\":"
                + " {\"url\": \"https://example.org/answer.png\"}}]}]";
        Path f = TestFiles.jsonl(dir, "trl.jsonl", "{\"prompt\": " + prompt + ", \"chosen\": " + assistantWithImage
                + ", \"rejected\": [{\"role\": \"assistant\", \"content\": \"A car.\"}]}");

        Item item = readAll(f).get(0);

        assertThat(item.prompt()).isEqualTo("What is this?");
        assertThat(item.images()).extracting(ImageRef::location).containsExactly("https://example.org/a.png");
    }

    @Test
    void embeddedBase64AndHuggingFaceImageStructsAreDecodedCheckedAndHashedAtIngest() throws Exception {
        byte[] png = TestImages.bytes("png", 5, 5, Color.CYAN);
        String b64 = Base64.getEncoder().encodeToString(png);
        Path f = TestFiles.jsonl(dir, "embedded.jsonl",
                "{\"prompt\": \"Q1\", \"response\": \"r\", \"image\": \"" + b64 + "\"}",
                "{\"prompt\": \"Q2\", \"response\": \"r\", \"image\": {\"bytes\": \"" + b64 + "\", \"path\":"
                        + " \"coco/7.png\"}}");

        List<Item> items = readAll(f);

        assertThat(items).allSatisfy(i -> assertThat(i.images()).singleElement().satisfies(ref -> {
            assertThat(ref.kind()).isEqualTo(ImageRef.Kind.DATA);
            assertThat(ref.sha256()).isEqualTo(ImageFiles.sha256(png));
            assertThat(ref.location()).isEqualTo("data:image/png;base64," + b64);
        }));
        assertThat(items.get(1).images().get(0).source()).isEqualTo("coco/7.png");
    }

    @Test
    void aReferenceThatCannotBeAnImageFailsItsRowNamingLineAndField() throws Exception {
        Path f = TestFiles.jsonl(dir, "bad.jsonl",
                "{\"prompt\": \"Q\", \"response\": \"r\", \"images\": [\"ok.png\", \"javascript:alert(1)\"]}");
        String svg = Base64.getEncoder().encodeToString("<svg><script>alert(1)</script></svg>".getBytes());
        Path g = TestFiles.jsonl(dir, "svg.jsonl", "{\"prompt\": \"Q\", \"response\": \"r\", \"image\":"
                + " \"data:image/png;base64," + svg + "\"}");

        assertThatThrownBy(() -> readAll(f)).isInstanceOf(IngestException.class)
                .hasMessageContaining("bad.jsonl:1")
                .hasMessageContaining("images[1]")
                .hasMessageContaining("not 'javascript:'");
        assertThatThrownBy(() -> readAll(g)).isInstanceOf(IngestException.class)
                .hasMessageContaining("svg.jsonl:1")
                .hasMessageContaining("is an SVG");
    }

    @Test
    void textOnlyRowsHaveNoImages() throws Exception {
        Path f = TestFiles.jsonl(dir, "t.jsonl", "{\"prompt\": \"Q\", \"chosen\": \"a\", \"rejected\": \"b\"}");

        assertThat(readAll(f).get(0).images()).isEmpty();
    }
}
