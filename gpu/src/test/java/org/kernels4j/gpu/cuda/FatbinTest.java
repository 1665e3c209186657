package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fatbin table of contents and CUDA's rules for which image runs on which device. */
class FatbinTest {
    private static final int PTX = 1;
    private static final int ELF = 2;
    private static final long ARCH_SPECIFIC = 0x100000L;
    private static final long ZSTD = 0x8000L;

    @Test
    void readsImagesInOrderWithTheirTargets() {
        byte[] sass = {1, 2, 3};
        byte[] ptx = ".version 9.0\n".getBytes();
        Fatbin fatbin = Fatbin.parse(container(image(ELF, 80, 0, sass), image(ELF, 90, ARCH_SPECIFIC, sass),
                image(PTX, 90, ZSTD, ptx)));

        assertEquals(List.of("sm_80", "sm_90a", "compute_90"), fatbin.targetNames());
        assertArrayEquals(ptx, fatbin.payload(fatbin.images().get(2)));
        assertTrue(fatbin.images().get(2).compressed());
        assertFalse(fatbin.images().get(0).compressed());
    }

    @Test
    void readsConcatenatedContainers() {
        byte[] first = container(image(ELF, 80, 0, new byte[5]));
        byte[] second = container(image(PTX, 90, 0, new byte[7]));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        assertEquals(List.of("sm_80", "compute_90"), Fatbin.parse(both).targetNames());
    }

    @Test
    void rejectsWhatIsNotAFatbin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fatbin.parse("\u007fELF and more bytes".getBytes()));
        assertTrue(e.getMessage().startsWith("fatbin: no fatbin magic"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fatbin.parse(new byte[0]));
        assertThrows(NullPointerException.class, () -> Fatbin.parse(null));
    }

    @Test
    void rejectsTruncatedImages() {
        byte[] whole = container(image(ELF, 80, 0, new byte[32]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fatbin.parse(Arrays.copyOf(whole, whole.length - 1)));
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }

    @Test
    void payloadOfAForeignImageIsRejected() {
        Fatbin fatbin = Fatbin.parse(container(image(ELF, 80, 0, new byte[4])));
        FatbinImage foreign = new FatbinImage(FatbinImage.Kind.PTX, 90, false, false, 0, 4);
        assertThrows(IllegalArgumentException.class, () -> fatbin.payload(foreign));
    }

    @Test
    void sassRunsOnTheSameMajorVersionWithAnEqualOrHigherMinor() {
        FatbinImage sm80 = new FatbinImage(FatbinImage.Kind.SASS, 80, false, false, 0, 0);
        assertTrue(sm80.runsOn(8, 0));
        assertTrue(sm80.runsOn(8, 9));
        assertFalse(sm80.runsOn(7, 5));
        assertFalse(sm80.runsOn(9, 0));
        FatbinImage sm89 = new FatbinImage(FatbinImage.Kind.SASS, 89, false, false, 0, 0);
        assertFalse(sm89.runsOn(8, 6));
    }

    @Test
    void archSpecificCodeRunsOnlyOnItsOwnArchitecture() {
        FatbinImage sm90a = new FatbinImage(FatbinImage.Kind.SASS, 90, true, false, 0, 0);
        assertTrue(sm90a.runsOn(9, 0));
        assertFalse(sm90a.runsOn(10, 0));
        FatbinImage compute90a = new FatbinImage(FatbinImage.Kind.PTX, 90, true, false, 0, 0);
        assertFalse(compute90a.runsOn(10, 0));
    }

    @Test
    void ptxRunsOnItsArchitectureAndEveryNewerOne() {
        FatbinImage compute90 = new FatbinImage(FatbinImage.Kind.PTX, 90, false, false, 0, 0);
        assertTrue(compute90.runsOn(9, 0));
        assertTrue(compute90.runsOn(12, 0));
        assertFalse(compute90.runsOn(8, 9));
    }

    @Test
    void imagesValidateTheirFields() {
        assertThrows(IllegalArgumentException.class, () -> new FatbinImage(FatbinImage.Kind.SASS, 8, false, false, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FatbinImage(FatbinImage.Kind.SASS, 80, false, false, -1, 0));
        FatbinImage sm80 = new FatbinImage(FatbinImage.Kind.SASS, 80, false, false, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> sm80.runsOn(8, 10));
        assertThrows(IllegalArgumentException.class, () -> sm80.runsOn(0, 0));
    }

    private static byte[] container(byte[]... images) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] image : images) {
            body.writeBytes(image);
        }
        ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0xBA55ED50).putShort((short) 1).putShort((short) 16).putLong(body.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header.array());
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    private static byte[] image(int kind, int arch, long flags, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(64 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort(0, (short) kind).putShort(2, (short) 0x101).putInt(4, 64).putLong(8, payload.length)
                .putInt(28, arch).putLong(40, flags);
        out.put(64, payload);
        return out.array();
    }
}
