package org.admap.internal.columns;

import java.nio.ByteBuffer;

/**
 * One column of {@link RunColumns}: a value per index, read in place from the mapped file.
 * Values are 64-bit patterns; an int column's values are its ints sign-extended, a double
 * column's are {@link Double#doubleToRawLongBits} of its doubles, so that one reader serves
 * every column and a double comes back bit for bit. {@link PackedColumn} is the column of
 * version 3; {@link #plain} reads the fixed-width arrays of versions 1 and 2.
 */
abstract class Column {

    /** The value at {@code index}. */
    abstract long get(int index);

    final int getInt(int index) {
        return (int) get(index);
    }

    final double getDouble(int index) {
        return Double.longBitsToDouble(get(index));
    }

    /**
     * A column of versions 1 and 2: {@code bytes} (1, 4 or 8) little-endian bytes per value,
     * one after the other in {@code buffer}.
     */
    static Column plain(ByteBuffer buffer, int bytes) {
        return switch (bytes) {
            case 1 -> new Column() {
                @Override
                long get(int index) {
                    return buffer.get(index);
                }
            };
            case 4 -> new Column() {
                @Override
                long get(int index) {
                    return buffer.getInt(4 * index);
                }
            };
            case 8 -> new Column() {
                @Override
                long get(int index) {
                    return buffer.getLong(8 * index);
                }
            };
            default -> throw new IllegalArgumentException("a plain column has 1, 4 or 8 bytes per value, not " + bytes);
        };
    }
}
