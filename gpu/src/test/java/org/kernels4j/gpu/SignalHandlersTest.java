package org.kernels4j.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Native work that replaces a fault handler (here SIGILL's, with SIG_IGN) finds the old one back afterwards. */
@EnabledOnOs(OS.LINUX)
class SignalHandlersTest {
    private static final int SIGILL = 4;
    private static final long SIG_IGN = 1;
    private static final MethodHandle SIGACTION = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sigaction").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    @Test
    void restoresAHandlerThatNativeWorkReplaced() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            byte[] before = current(arena);
            long handlerInside = SignalHandlers.preserving(() -> {
                MemorySegment ignore = arena.allocate(256, 16);
                ignore.set(ValueLayout.JAVA_LONG, 0, SIG_IGN);
                call(SIGILL, ignore, MemorySegment.NULL);
                return MemorySegment.ofArray(current(arena)).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            });
            assertEquals(SIG_IGN, handlerInside, "the work did replace the handler");
            assertArrayEquals(before, current(arena), "the JVM's handler is back");
            assertNotEquals(SIG_IGN, MemorySegment.ofArray(before).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        }
    }

    @Test
    void rejectsNullWork() {
        assertThrows(IllegalArgumentException.class, () -> SignalHandlers.preserving(null));
    }

    /**
     * What the kernel keeps of glibc's x86-64/AArch64 {@code struct sigaction}: the handler, the first 64 signals
     * of the mask, and the flags (the rest of glibc's 1024-bit mask is not kept, and comes back undefined).
     */
    private static byte[] current(Arena arena) {
        MemorySegment action = arena.allocate(256, 16);
        call(SIGILL, MemorySegment.NULL, action);
        byte[] kept = new byte[20];
        MemorySegment.copy(action, ValueLayout.JAVA_BYTE, 0, kept, 0, 16);
        MemorySegment.copy(action, ValueLayout.JAVA_BYTE, 136, kept, 16, 4);
        return kept;
    }

    private static void call(int signal, MemorySegment action, MemorySegment previous) {
        try {
            assertEquals(0, (int) SIGACTION.invokeExact(signal, action, previous));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
