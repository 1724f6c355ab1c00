package org.admap.internal.map;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that text is appended to as UTF-8, without a String in between.
 * Writers that fill it in place ({@link JsonCsvField}, {@link DoubleText}) take its array with
 * {@link #room} and set the new {@link #size(int)} when done.
 */
public final class Utf8Bytes {

    private byte[] bytes;
    private int size;

    public Utf8Bytes(int capacity) {
        bytes = new byte[capacity];
    }

    /** The array, at least {@code capacity} long; every byte of the old one is kept, written or not. */
    public byte[] room(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, capacity));
        }
        return bytes;
    }

    public int size() {
        return size;
    }

    /** Sets the size after bytes were written in place, in the array {@link #room} gave. */
    public void size(int size) {
        if (size < 0 || size > bytes.length) {
            throw new IllegalArgumentException("size " + size + " outside the buffer's " + bytes.length + " bytes");
        }
        this.size = size;
    }

    public void clear() {
        size = 0;
    }

    public Utf8Bytes append(char ascii) {
        room(size + 1)[size++] = (byte) ascii;
        return this;
    }

    /** Appends text known to be ASCII. */
    public Utf8Bytes appendAscii(String s) {
        int n = s.length();
        byte[] b = room(size + n);
        for (int i = 0; i < n; i++) {
            b[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    public Utf8Bytes appendAscii(byte[] ascii) {
        System.arraycopy(ascii, 0, room(size + ascii.length), size, ascii.length);
        size += ascii.length;
        return this;
    }

    /** Appends an int in decimal, as {@link Integer#toString(int)}. */
    public Utf8Bytes appendInt(int v) {
        byte[] b = room(size + 11);
        if (v < 0) {
            b[size++] = '-';
        }
        // digits from the last, then turned around: small code for the small counts of a map
        long u = Math.abs((long) v);
        int first = size;
        do {
            b[size++] = (byte) ('0' + u % 10);
            u /= 10;
        } while (u != 0);
        for (int i = first, j = size - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return this;
    }

    public Utf8Bytes appendUtf8(CharSequence s) {
        byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(utf8, 0, room(size + utf8.length), size, utf8.length);
        size += utf8.length;
        return this;
    }

    /** The bytes written. */
    public byte[] array() {
        return bytes;
    }
}
