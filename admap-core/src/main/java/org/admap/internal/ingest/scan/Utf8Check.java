package org.admap.internal.ingest.scan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether bytes are well-formed UTF-8 (Unicode's table 3-7), eight ASCII bytes at a time:
 * the scan skips response texts without decoding them, so it checks the bytes of each block
 * instead, and leaves a block that is not UTF-8 to the full ingest, which names the line.
 */
final class Utf8Check {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Utf8Check() {
    }

    static boolean valid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
                continue;
            }
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                n = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                n = 3;
                lo = b0 == 0xE0 ? 0xA0 : 0x80;
                hi = b0 == 0xED ? 0x9F : 0xBF;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                n = 4;
                lo = b0 == 0xF0 ? 0x90 : 0x80;
                hi = b0 == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (i + n > to) {
                return false;
            }
            int b1 = b[i + 1] & 0xFF;
            if (b1 < lo || b1 > hi) {
                return false;
            }
            for (int k = 2; k < n; k++) {
                int c = b[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return false;
                }
            }
            i += n;
        }
        return true;
    }
}
