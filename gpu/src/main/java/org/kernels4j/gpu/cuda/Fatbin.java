package org.kernels4j.gpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The table of contents of a CUDA fatbin as nvcc -fatbin writes it: one or more containers, each a
 * 16-byte header (magic 0xBA55ED50, version, header size, payload size) followed by images, each with
 * its own header (kind, header size, payload size, architecture, flags) and payload.
 * Lets the backend tell which devices the fatbin covers without a driver, and lets tests look inside.
 *
 * <p>Immutable and thread-safe.
 */
public final class Fatbin {
    private static final int MAGIC = 0xBA55ED50;
    private static final int KIND_PTX = 1;
    private static final int KIND_ELF = 2;
    private static final long FLAG_ARCH_SPECIFIC = 0x100000L;
    private static final long FLAG_COMPRESSED_LZ4 = 0x2000L;
    private static final long FLAG_COMPRESSED_ZSTD = 0x8000L;
    private static final int IMAGE_HEADER_MIN_SIZE = 48;

    private final byte[] bytes;
    private final List<FatbinImage> images;

    private Fatbin(byte[] bytes, List<FatbinImage> images) {
        this.bytes = bytes;
        this.images = List.copyOf(images);
    }

    /**
     * Reads the table of contents of {@code bytes} (copied, so later changes to the array do not show).
     *
     * @throws IllegalArgumentException when {@code bytes} is not a well-formed fatbin, naming the offset
     */
    public static Fatbin parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        bytes = bytes.clone();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<FatbinImage> images = new ArrayList<>();
        int container = 0;
        while (container < bytes.length) {
            require(container + 16 <= bytes.length, container, "truncated container header");
            require(in.getInt(container) == MAGIC, container, "no fatbin magic 0xBA55ED50");
            int headerSize = Short.toUnsignedInt(in.getShort(container + 6));
            long payloadSize = in.getLong(container + 8);
            require(headerSize >= 16 && payloadSize >= 0 && payloadSize <= bytes.length - container - headerSize,
                    container, "container extends past the end");
            long end = container + headerSize + payloadSize;
            int image = container + headerSize;
            while (image < end) {
                images.add(readImage(in, image, end));
                FatbinImage last = images.getLast();
                image = last.offset() + last.size();
            }
            container = (int) end;
        }
        require(!images.isEmpty(), 0, "no images");
        return new Fatbin(bytes, images);
    }

    /** Every image, in file order. */
    public List<FatbinImage> images() {
        return images;
    }

    /** The target names in file order, e.g. [sm_80, sm_89, sm_90a, compute_90]. */
    public List<String> targetNames() {
        return images.stream().map(FatbinImage::targetName).toList();
    }

    /** Whether some image runs on a device of compute capability {@code major.minor}. */
    public boolean runsOn(int major, int minor) {
        return images.stream().anyMatch(i -> i.runsOn(major, minor));
    }

    /** A copy of an image's payload (an ELF file for SASS, text for PTX). */
    public byte[] payload(FatbinImage image) {
        Objects.requireNonNull(image, "image");
        if (!images.contains(image)) {
            throw new IllegalArgumentException("image: " + image + " is not in this fatbin");
        }
        return Arrays.copyOfRange(bytes, image.offset(), image.offset() + image.size());
    }

    private static FatbinImage readImage(ByteBuffer in, int at, long containerEnd) {
        require(at + IMAGE_HEADER_MIN_SIZE <= containerEnd, at, "truncated image header");
        int kind = Short.toUnsignedInt(in.getShort(at));
        long headerSize = Integer.toUnsignedLong(in.getInt(at + 4));
        long payloadSize = in.getLong(at + 8);
        int arch = in.getInt(at + 28);
        long flags = in.getLong(at + 40);
        require(kind == KIND_PTX || kind == KIND_ELF, at, "unknown image kind " + kind);
        require(arch >= 10, at, "architecture " + arch + " is not major*10+minor");
        require(headerSize >= IMAGE_HEADER_MIN_SIZE && payloadSize >= 0
                && payloadSize <= containerEnd - at - headerSize, at, "image extends past its container");
        return new FatbinImage(kind == KIND_ELF ? FatbinImage.Kind.SASS : FatbinImage.Kind.PTX, arch,
                (flags & FLAG_ARCH_SPECIFIC) != 0, (flags & (FLAG_COMPRESSED_LZ4 | FLAG_COMPRESSED_ZSTD)) != 0,
                (int) (at + headerSize), (int) payloadSize);
    }

    private static void require(boolean condition, long offset, String problem) {
        if (!condition) {
            throw new IllegalArgumentException("fatbin: " + problem + " at offset " + offset);
        }
    }
}
