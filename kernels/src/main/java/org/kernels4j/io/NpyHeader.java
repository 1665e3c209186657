package org.kernels4j.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The header of a C-order {@code .npy} file: element type and shape. Parses the header dictionary of
 * format versions 1.0 and 2.0 and encodes version 1.0 (2.0 only when the dictionary is too long for
 * 1.0's 16-bit length, as numpy does), padded so that the data starts 64-byte aligned.
 *
 * @param dtype element type
 * @param shape dimensions (empty for a 0-d array); copied on the way in
 */
record NpyHeader(NpyDType dtype, long[] shape) {
    /** The six bytes every .npy file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads the header so that the data that follows starts at a multiple of this. */
    private static final int ALIGNMENT = 64;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    NpyHeader {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        elementCount(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    long elementCount() {
        return elementCount(shape);
    }

    long dataBytes() {
        return Math.multiplyExact(elementCount(), dtype.itemSize());
    }

    /**
     * Parses a header dictionary such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
     *
     * @param text   the dictionary (trailing spaces and newline allowed)
     * @param source the file's name, which every message starts with
     * @throws IllegalArgumentException naming the file and the problem: not a dict, missing or extra keys,
     *                                  Fortran order, a dtype other than those of {@link NpyDType}, a bad shape
     */
    static NpyHeader parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        Object literal;
        try {
            literal = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": malformed .npy header: " + e.getMessage());
        }
        if (!(literal instanceof Map<?, ?> dict) || !dict.keySet().equals(KEYS)) {
            throw new IllegalArgumentException(source + ": malformed .npy header: expected a dict with exactly the keys "
                    + "descr, fortran_order and shape, found " + text.strip());
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new IllegalArgumentException(source + ": malformed .npy header: fortran_order is "
                    + dict.get("fortran_order") + ", not True or False");
        }
        NpyDType dtype = dtype(dict.get("descr"), source);
        if (fortranOrder) {
            throw new IllegalArgumentException(source + ": Fortran-order (column-major) arrays are not supported;"
                    + " save a C-order array (numpy.ascontiguousarray)");
        }
        return new NpyHeader(dtype, shape(dict.get("shape"), source));
    }

    private static NpyDType dtype(Object descr, String source) {
        if (!(descr instanceof String name)) {
            throw new IllegalArgumentException(source + ": unsupported dtype " + descr
                    + " (a structured type; expected " + NpyDType.SUPPORTED + ")");
        }
        NpyDType dtype = NpyDType.fromDescr(name);
        if (dtype != null) {
            return dtype;
        }
        if (name.startsWith(">") && NpyDType.fromDescr("<" + name.substring(1)) != null) {
            throw new IllegalArgumentException(source + ": unsupported dtype '" + name + "': big-endian data (expected little-endian "
                    + NpyDType.SUPPORTED + "; convert with array.astype('<" + name.substring(1) + "'))");
        }
        throw new IllegalArgumentException(source + ": unsupported dtype '" + name + "' (expected " + NpyDType.SUPPORTED + ")");
    }

    private static long[] shape(Object value, String source) {
        if (!(value instanceof List<?> dims)) {
            throw new IllegalArgumentException(source + ": malformed .npy header: shape " + value + " is not a tuple");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new IllegalArgumentException(source + ": malformed .npy header: shape " + dims
                        + " has an entry that is not a non-negative integer");
            }
            shape[i] = dim;
        }
        try {
            elementCount(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        return shape;
    }

    /** The complete preamble: magic, version, header length, the dictionary padded with spaces, '\n'. */
    byte[] encode() {
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + NpyArray.formatShape(shape) + ", }";
        int dictAndNewline = dict.length() + 1;
        boolean fitsVersion1 = paddedLength(10, dictAndNewline) - 10 <= 0xffff;
        int prefix = fitsVersion1 ? 10 : 12;
        int total = paddedLength(prefix, dictAndNewline);
        byte[] bytes = new byte[total];
        System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
        bytes[6] = (byte) (fitsVersion1 ? 1 : 2);
        bytes[7] = 0;
        int headerLength = total - prefix;
        for (int i = 0; i < prefix - 8; i++) {
            bytes[8 + i] = (byte) (headerLength >>> (8 * i));
        }
        byte[] dictBytes = dict.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(dictBytes, 0, bytes, prefix, dictBytes.length);
        Arrays.fill(bytes, prefix + dictBytes.length, total - 1, (byte) ' ');
        bytes[total - 1] = '\n';
        return bytes;
    }

    private static int paddedLength(int prefix, int dictAndNewline) {
        int unpadded = prefix + dictAndNewline;
        return Math.addExact(unpadded, (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT);
    }

    private static long elementCount(long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + NpyArray.formatShape(shape) + " has a negative dimension");
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + NpyArray.formatShape(shape) + " has more than 2^63 elements");
            }
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NpyHeader h && h.dtype == dtype && Arrays.equals(h.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype.numpyName() + " " + NpyArray.formatShape(shape);
    }
}
