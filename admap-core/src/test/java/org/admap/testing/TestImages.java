package org.admap.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Small images the tests make themselves (with {@link ImageIO}), and hostile files that claim to
 * be images: text, an SVG with a script, a file over the size limit.
 */
public final class TestImages {

    private TestImages() {
    }

    /** The bytes of a w x h image of one colour with a diagonal line, in an ImageIO format (png, jpg, gif). */
    public static byte[] bytes(String format, int w, int h, Color color) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.drawLine(0, 0, w - 1, h - 1);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    /** Writes an image file and returns it. */
    public static Path write(Path dir, String name, String format, Color color) throws IOException {
        return Files.write(dir.resolve(name), bytes(format, 8, 6, color));
    }

    /** The first bytes of a WebP file (RIFF, size, WEBP, a VP8 chunk header): enough to sniff. */
    public static byte[] webpHeader() {
        byte[] b = new byte[32];
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        b[4] = 24;
        System.arraycopy("WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), 0, b, 8, 8);
        return b;
    }

    /** An SVG that runs a script when a browser renders it as a document. */
    public static Path svgWithScript(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name), "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
                + "<script>alert(document.cookie)</script><rect width=\"5\" height=\"5\"/></svg>\n");
    }

    /** A file of {@code bytes} bytes (sparse where the file system allows), named like an image. */
    public static Path huge(Path dir, String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}); // a JPEG's magic: only its size is wrong
            f.setLength(bytes);
        }
        return p;
    }
}
