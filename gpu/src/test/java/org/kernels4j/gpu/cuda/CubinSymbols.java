package org.kernels4j.gpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/** Reads the kernel entry points out of a CUDA ELF (cubin) symbol table, as cuobjdump -symbols lists them. */
final class CubinSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int STT_FUNC = 2;
    private static final int STB_GLOBAL = 1;
    // st_other bit that marks a __global__ function (a kernel) rather than a device function.
    private static final int STO_CUDA_ENTRY = 0x10;
    private static final int SYMBOL_SIZE = 24;

    private CubinSymbols() {
    }

    static Set<String> kernels(byte[] elf) {
        ByteBuffer in = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(0) != 0x464C457F || elf[4] != 2) {
            throw new IllegalArgumentException("not a 64-bit ELF file");
        }
        long sectionTable = in.getLong(0x28);
        int sectionSize = Short.toUnsignedInt(in.getShort(0x3A));
        int sections = Short.toUnsignedInt(in.getShort(0x3C));
        Set<String> kernels = new TreeSet<>();
        for (int s = 0; s < sections; s++) {
            int header = Math.toIntExact(sectionTable + (long) s * sectionSize);
            if (in.getInt(header + 4) != SHT_SYMTAB) {
                continue;
            }
            int symbols = Math.toIntExact(in.getLong(header + 0x18));
            int count = Math.toIntExact(in.getLong(header + 0x20) / SYMBOL_SIZE);
            int stringHeader = Math.toIntExact(sectionTable + (long) in.getInt(header + 0x28) * sectionSize);
            int strings = Math.toIntExact(in.getLong(stringHeader + 0x18));
            for (int i = 0; i < count; i++) {
                int symbol = symbols + i * SYMBOL_SIZE;
                int info = Byte.toUnsignedInt(in.get(symbol + 4));
                int other = Byte.toUnsignedInt(in.get(symbol + 5));
                if ((info & 0xF) == STT_FUNC && (info >> 4) == STB_GLOBAL && (other & STO_CUDA_ENTRY) != 0) {
                    kernels.add(cString(elf, strings + in.getInt(symbol)));
                }
            }
        }
        return kernels;
    }

    private static String cString(byte[] bytes, int start) {
        int end = start;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }
}
