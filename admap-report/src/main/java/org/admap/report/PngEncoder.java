package org.admap.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes an opaque RGB image as a PNG: 8 bits a channel, every row unfiltered, deflated at
 * ImageIO's default level (4), in 32 KiB IDAT chunks as ImageIO writes them. ImageIO's writer
 * tries all five row filters on every row in Java, a third of a second (and a large method for
 * the JIT) for the 2400 x 1800 map; the map's picture, flat colours and a density raster,
 * deflates no larger unfiltered (399,340 bytes against ImageIO's 399,484 for 1M x 4), so the
 * pixels are the same and the work is zlib's.
 */
final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** ImageIO's default deflate level for PNG. */
    private static final int LEVEL = 4;
    private static final int CHUNK = 1 << 15;

    private PngEncoder() {
    }

    /**
     * Writes {@code image} to {@code out} (left open).
     *
     * @throws IllegalArgumentException when the image is not a whole {@link BufferedImage#TYPE_INT_RGB} one
     */
    static void write(BufferedImage image, OutputStream out) throws IOException {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("PngEncoder writes TYPE_INT_RGB images, got type " + image.getType());
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // the raster's own pixels, row after row: a map's picture is a whole image, never a sub-image
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (pixels.length != w * h || image.getRaster().getParent() != null) {
            throw new IllegalArgumentException("PngEncoder writes whole images, got a part of a larger one");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.write(SIGNATURE);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream hd = new DataOutputStream(header);
        hd.writeInt(w);
        hd.writeInt(h);
        hd.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, truecolour, deflate, no filter method choice, not interlaced
        chunk(data, "IHDR", header.toByteArray(), header.size());
        Deflater deflater = new Deflater(LEVEL);
        try (DeflaterOutputStream z = new DeflaterOutputStream(new IdatChunks(data), deflater, CHUNK)) {
            byte[] row = new byte[1 + 3 * w]; // row[0] = 0: filter type None
            for (int y = 0; y < h; y++) {
                int from = y * w;
                for (int x = 0, i = 1; x < w; x++) {
                    int p = pixels[from + x];
                    row[i++] = (byte) (p >> 16);
                    row[i++] = (byte) (p >> 8);
                    row[i++] = (byte) p;
                }
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(data, "IEND", new byte[0], 0);
        data.flush();
    }

    private static void chunk(DataOutputStream out, String type, byte[] bytes, int length) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(length);
        out.write(name);
        out.write(bytes, 0, length);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(bytes, 0, length);
        out.writeInt((int) crc.getValue());
    }

    /** The deflated stream in IDAT chunks of {@link #CHUNK} bytes; closing writes the last, leaving the stream open. */
    private static final class IdatChunks extends OutputStream {
        private final DataOutputStream out;
        private final byte[] buffer = new byte[CHUNK];
        private int size;

        IdatChunks(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, CHUNK - size);
                System.arraycopy(b, off, buffer, size, n);
                size += n;
                off += n;
                len -= n;
                if (size == CHUNK) {
                    emit();
                }
            }
        }

        private void emit() throws IOException {
            chunk(out, "IDAT", buffer, size);
            size = 0;
        }

        @Override
        public void close() throws IOException {
            if (size > 0) {
                emit();
            }
        }
    }
}
