package org.admap.internal.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.admap.model.ImageRef;
import org.admap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images are typed from their bytes, size-checked, and SVGs and non-images are refused by name. */
class ImageFilesTest {

    @TempDir
    Path dir;

    private ImageRef file(Path p) {
        return ImageSources.of(p.getFileName().toString(), dir, "unused");
    }

    @Test
    void aPngFileBecomesADataUrlWithTheHashOfItsBytes() throws Exception {
        Path png = TestImages.write(dir, "cat.png", "png", Color.ORANGE);

        ImageFiles.Loaded loaded = ImageFiles.load(file(png));

        assertThat(loaded.mime()).isEqualTo("image/png");
        assertThat(loaded.dataUrl()).startsWith("data:image/png;base64,");
        assertThat(Base64.getDecoder().decode(loaded.dataUrl().substring("data:image/png;base64,".length())))
                .isEqualTo(Files.readAllBytes(png));
        assertThat(loaded.ref().sha256()).isEqualTo(ImageFiles.sha256(Files.readAllBytes(png))).hasSize(16);
    }

    @Test
    void theTypeComesFromTheBytesNeverTheName() throws Exception {
        Path jpeg = Files.write(dir.resolve("really-a-jpeg.png"), TestImages.bytes("jpg", 8, 8, Color.BLUE));
        Path gif = Files.write(dir.resolve("picture.jpg"), TestImages.bytes("gif", 8, 8, Color.RED));

        assertThat(ImageFiles.load(file(jpeg)).mime()).isEqualTo("image/jpeg");
        assertThat(ImageFiles.load(file(gif)).mime()).isEqualTo("image/gif");
        assertThat(ImageFiles.sniff(TestImages.webpHeader(), "w")).isEqualTo("image/webp");
    }

    @Test
    void aTextFileNamedLikeAnImageIsRefusedNamingIt() throws Exception {
        Path fake = Files.writeString(dir.resolve("photo.png"), "<html><body>not a picture</body></html>");

        assertThatThrownBy(() -> ImageFiles.load(file(fake)))
                .isInstanceOf(ImageException.class)
                .hasMessage("image photo.png is not a PNG, JPEG, GIF or WebP image (it starts with bytes"
                        + " 3c68746d6c3e3c62)");
    }

    @Test
    void anSvgWithAScriptIsRefusedWhateverItIsCalled() throws Exception {
        Path svg = TestImages.svgWithScript(dir, "chart.png");

        assertThatThrownBy(() -> ImageFiles.load(file(svg)))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("image chart.png is an SVG")
                .hasMessageContaining("scripts");
        String dataUrl = "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(svg));
        assertThatThrownBy(() -> ImageSources.of(dataUrl, dir, "embedded image at image"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("embedded image at image is an SVG");
    }

    @Test
    void anImageOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path big = TestImages.huge(dir, "poster.jpg", ImageFiles.MAX_BYTES + 1024 * 1024);

        assertThatThrownBy(() -> ImageFiles.load(file(big)))
                .isInstanceOf(ImageException.class)
                .hasMessage("image poster.jpg is 21.0 MB, over the 20 MB limit on an image sent to a judge or"
                        + " shown in a report");
    }

    @Test
    void aMissingFileSaysWhereItWasLookedFor() {
        ImageRef ref = ImageSources.of("images/gone.png", dir, "unused");

        assertThatThrownBy(() -> ImageFiles.load(ref))
                .isInstanceOf(ImageException.class)
                .hasMessage("image images/gone.png not found (looked for " + dir.resolve("images/gone.png")
                        .toAbsolutePath().normalize() + ")");
    }

    @Test
    void aFileThatChangedAfterItWasHashedIsNotSentUnderTheOldHash() throws Exception {
        Path png = TestImages.write(dir, "a.png", "png", Color.GREEN);
        ImageRef hashed = ImageFiles.load(file(png)).ref();
        TestImages.write(dir, "a.png", "png", Color.MAGENTA);

        assertThatThrownBy(() -> ImageFiles.load(hashed))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("image a.png has changed since it was read");
    }

    @Test
    void referencesAreUrlsPathsOrEmbeddedBytes() throws Exception {
        byte[] png = TestImages.bytes("png", 4, 4, Color.WHITE);
        String b64 = Base64.getEncoder().encodeToString(png);

        ImageRef url = ImageSources.of("https://example.org/a.jpg", dir, "x");
        ImageRef rel = ImageSources.of("imgs/b.jpg", dir, "x");
        ImageRef embedded = ImageSources.of(b64, dir, "embedded image at image");
        ImageRef dataUrl = ImageSources.of("data:image/png;base64," + b64, dir, "embedded image at image");

        assertThat(url.kind()).isEqualTo(ImageRef.Kind.URL);
        assertThat(url.cacheKey()).startsWith("url:");
        assertThat(rel.kind()).isEqualTo(ImageRef.Kind.FILE);
        assertThat(rel.location()).isEqualTo(dir.resolve("imgs/b.jpg").toAbsolutePath().normalize().toString());
        assertThat(rel.cacheKey()).isNull(); // not read yet
        assertThat(embedded.kind()).isEqualTo(ImageRef.Kind.DATA);
        assertThat(embedded.sha256()).isEqualTo(ImageFiles.sha256(png));
        assertThat(dataUrl.location()).isEqualTo(embedded.location());
        assertThat(ImageFiles.load(embedded).bytes()).isEqualTo(png);
        assertThatThrownBy(() -> ImageSources.of("javascript:alert(1)", dir, "x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("not 'javascript:'");
    }
}
