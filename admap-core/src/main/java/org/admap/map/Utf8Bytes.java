package org.admap.map;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that text is appended to as UTF-8, without a String in between. */
final class Utf8Bytes {

    private byte[] bytes;
    private int size;

    Utf8Bytes(int capacity) {
        bytes = new byte[capacity];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    Utf8Bytes append(char ascii) {
        ensure(1);
        bytes[size++] = (byte) ascii;
        return this;
    }

    /** Appends text known to be ASCII. */
    Utf8Bytes appendAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    Utf8Bytes appendUtf8(CharSequence s) {
        byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }
}
