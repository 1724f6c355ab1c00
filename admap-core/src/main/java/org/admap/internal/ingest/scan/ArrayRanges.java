package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Cuts a JSON array into ranges of whole elements that several threads scan apart, each
 * then read whole ({@link WholeRanges}). A JSON array (LLaMA-Factory's files, {@code json.dump} with an
 * indent) has no line per row: an element spans lines, or the whole array is one line.
 *
 * <p>A cut lies just before an element's opening brace, found by its bytes ({@link Cuts}): a
 * comma, spaces, the brace, spaces, and the first member name of the array's first element
 * (writers give every element the same member order). Inside a string this cannot occur in
 * valid JSON, as the quote before the name would end the string where no name may follow. In
 * a one-line array a nested object that starts with the same name could be taken for an
 * element; {@link RowScanner#scanElements} refuses such a cut, because the range before it
 * then ends inside an element, and the full ingest reads the file. Cuts are a matter of speed
 * only: with no name to look for, the array is one range.
 */
final class ArrayRanges {

    /** How much of the file's start is read to find the first element's first member name. */
    private static final int HEAD = 1 << 16;
    /** The window in which a cut is looked for, and by how much windows overlap. */
    private static final int WINDOW = 1 << 20;
    private static final int OVERLAP = 1 << 12;

    private ArrayRanges() {
    }

    /**
     * What marks a cut in one array: the first member name of its first element, with its
     * quotes, and the spaces after the last line end before that element's brace, or null
     * when there is no line end there (a one-line array). In a pretty-printed array only the
     * array's own elements stand at that indentation, so there a nested object is never
     * taken for an element.
     */
    record Cuts(byte[] name, byte[] indent) {

        /**
         * The cuts of the array that starts in {@code head[0, n)} (the file's first bytes), or
         * null when it does not start with an object whose first name is plain ASCII.
         */
        static Cuts of(byte[] head, int n) {
            int i = 0;
            if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
                i = 3;
            }
            i = RowScanner.spaces(head, i, n);
            if (i >= n || head[i] != '[') {
                return null;
            }
            int open = RowScanner.spaces(head, i + 1, n);
            if (open >= n || head[open] != '{') {
                return null;
            }
            byte[] indent = indent(head, i + 1, open);
            int q = RowScanner.spaces(head, open + 1, n);
            if (q >= n || head[q] != '"') {
                return null;
            }
            for (int j = q + 1; j < n && j - q < 256; j++) {
                byte b = head[j];
                if (b == '"') {
                    return new Cuts(Arrays.copyOfRange(head, q, j + 1), indent);
                }
                if (b == '\\' || b < 0x20) { // an escape, a control or a non-ASCII byte
                    return null;
                }
            }
            return null;
        }

        /** {@link #of(byte[], int)} of the file read by {@code ch}. */
        static Cuts of(FileChannel ch) throws IOException {
            byte[] head = new byte[(int) Math.min(HEAD, ch.size())];
            return of(head, WholeRanges.readFully(ch, 0, head, head.length));
        }

        /**
         * The offset of the first cut at or after {@code pos} (the brace's), or {@code size}
         * when there is none. Windows overlap so that each brace looked at has {@code OVERLAP / 2}
         * bytes read on either side, for its comma before and its name after.
         */
        long atOrAfter(FileChannel ch, long pos, long size) throws IOException {
            byte[] window = new byte[WINDOW];
            long start = Math.max(0, pos - OVERLAP / 2);
            while (start < size) {
                int n = WholeRanges.readFully(ch, start, window, (int) Math.min(WINDOW, size - start));
                boolean end = start + n >= size;
                int from = (int) Math.max(pos - start, start == 0 ? 0 : OVERLAP / 2);
                int to = end ? n : n - OVERLAP / 2;
                for (int j = from; j < to; j++) {
                    if (window[j] == '{' && isCut(window, j, n)) {
                        return start + j;
                    }
                }
                if (end) {
                    break;
                }
                start += n - OVERLAP; // the next window looks on from start + n - OVERLAP / 2
            }
            return size;
        }

        /** The index of the last cut in {@code buf[0, to)} whose name lies wholly there, or -1. */
        int last(byte[] buf, int to) {
            for (int j = to - 1; j > 0; j--) {
                if (buf[j] == '{' && isCut(buf, j, to)) {
                    return j;
                }
            }
            return -1;
        }

        /**
         * Whether the brace at {@code b[j]} has a comma and spaces before it (the indentation
         * after their last line end, when the array has one), and spaces and the name after.
         */
        private boolean isCut(byte[] b, int j, int to) {
            int k = j - 1;
            while (k >= 0 && (b[k] == ' ' || b[k] == '\n' || b[k] == '\r' || b[k] == '\t')) {
                k--;
            }
            if (k < 0 || b[k] != ',') {
                return false;
            }
            if (indent != null && !Arrays.equals(indent(b, k + 1, j), indent)) {
                return false;
            }
            int m = RowScanner.spaces(b, j + 1, to);
            if (m + name.length > to) {
                return false;
            }
            for (int x = 0; x < name.length; x++) {
                if (b[m + x] != name[x]) {
                    return false;
                }
            }
            return true;
        }

        /** The spaces in {@code b[from, brace)} after their last line feed, or null without one. */
        private static byte[] indent(byte[] b, int from, int brace) {
            for (int k = brace - 1; k >= from; k--) {
                if (b[k] == '\n') {
                    return Arrays.copyOfRange(b, k + 1, brace);
                }
            }
            return null;
        }
    }
}
