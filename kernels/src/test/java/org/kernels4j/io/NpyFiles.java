package org.kernels4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helpers, also used by the CLI tests through the test jar: hand-built .npy bytes (independent of
 * {@link NpyHeader#encode()}) and the numpy-written fixtures.
 */
public final class NpyFiles {
    private NpyFiles() {
    }

    /** A file of format {@code major}.0 with header dictionary {@code dict} (padded to 64 bytes) followed by {@code data}. */
    public static byte[] build(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        StringBuilder header = new StringBuilder(dict);
        while ((prefix + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        for (int i = 0; i < prefix - 8; i++) {
            out.write(text.length >>> (8 * i));
        }
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A version 1.0 file holding {@code data} under a header with this descr, fortran order and shape tuple text. */
    public static byte[] build(String descr, String fortranOrder, String shape, byte[] data) {
        return build(1, "{'descr': '" + descr + "', 'fortran_order': " + fortranOrder + ", 'shape': " + shape + ", }", data);
    }

    public static Path write(Path directory, String name, byte[] content) {
        try {
            return Files.write(directory.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of a fixture written by numpy 2.x's {@code numpy.save} (see the resources folder). */
    public static byte[] fixture(String name) {
        try (InputStream in = NpyFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a numpy fixture into {@code directory} so that it is read through the file system as users' files are. */
    public static Path copyFixture(Path directory, String name) {
        return write(directory, name, fixture(name));
    }

    /** A version 1.0 C-order file of little-endian float64 values. */
    public static byte[] float64(double[] values, long... shape) {
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.asDoubleBuffer().put(values);
        return build("<f8", "False", NpyArray.formatShape(shape), data.array());
    }
}
