package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.admap.model.MapPoint;
import org.junit.jupiter.api.Test;

/** The PNG the map is written as decodes to exactly the image's pixels, in well-formed chunks. */
class PngEncoderTest {

    @Test
    void noisyImageDecodesToTheSamePixels() throws IOException {
        BufferedImage image = new BufferedImage(333, 257, BufferedImage.TYPE_INT_RGB); // deflates past one chunk
        Random random = new Random(3);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }

        byte[] png = encode(image);

        assertSamePixels(ImageIO.read(new ByteArrayInputStream(png)), image);
        assertThat(chunkTypes(png)).startsWith("IHDR").endsWith("IEND").contains("IDAT").hasSizeGreaterThan(4);
    }

    @Test
    void drawnMapDecodesToTheSamePixelsAsImageIoWritesThem() throws IOException {
        List<MapPoint> points = MapPlotTest.synthetic(60_000, 1); // drawn as a density raster
        BufferedImage image = MapPlot.render(new MapPlot.Figure("m", "s", points, Coloring.byRegion(points)), 1);

        ByteArrayOutputStream imageIo = new ByteArrayOutputStream();
        ImageIO.write(image, "png", imageIo);

        assertSamePixels(ImageIO.read(new ByteArrayInputStream(encode(image))),
                ImageIO.read(new ByteArrayInputStream(imageIo.toByteArray())));
    }

    @Test
    void refusesAnImageWithAlpha() {
        BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);

        assertThatThrownBy(() -> PngEncoder.write(argb, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TYPE_INT_RGB");
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngEncoder.write(image, out);
        return out.toByteArray();
    }

    private static void assertSamePixels(BufferedImage actual, BufferedImage expected) {
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        int w = expected.getWidth();
        int h = expected.getHeight();
        assertThat(actual.getRGB(0, 0, w, h, null, 0, w)).isEqualTo(expected.getRGB(0, 0, w, h, null, 0, w));
    }

    /** Each chunk's type, its CRC checked. */
    private static List<String> chunkTypes(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        List<String> types = new ArrayList<>();
        while (b.hasRemaining()) {
            int length = b.getInt();
            byte[] typeAndData = new byte[4 + length];
            b.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertThat(b.getInt()).isEqualTo((int) crc.getValue());
            types.add(new String(typeAndData, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        }
        return types;
    }
}
