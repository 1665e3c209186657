package org.kernels4j.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the JVM's handlers of the synchronous fault signals while native code that replaces them runs.
 *
 * <p>HotSpot's compiled code relies on its own SIGSEGV, SIGBUS, SIGFPE and SIGILL handlers (implicit null
 * checks, for one, are loads that fault). PoCL's LLVM installs its own handlers when the OpenCL ICD first
 * loads it; afterwards the next implicit null check that fires kills the whole process with SIGSEGV and no
 * error report — seen here as a two-rank all-reduce crashing in about one run of three. The JDK's libjsig
 * would chain the signals for a launcher that preloads it, but a library cannot count on its users' launchers,
 * so the handlers are read before such native work and put back after it. Where libc's {@code sigaction} is
 * not found (not Linux), the work just runs.
 *
 * <p>Thread-safe: calls are serialised.
 */
public final class SignalHandlers {
    /** SIGILL, SIGFPE, SIGBUS, SIGSEGV as numbered on Linux (x86-64 and AArch64). */
    private static final int[] FAULT_SIGNALS = {4, 8, 7, 11};
    /** Larger than any libc's {@code struct sigaction} (152 bytes in glibc), which is copied in and out opaquely. */
    private static final long SIGACTION_BYTES = 256;
    private static final Optional<MethodHandle> SIGACTION = Linker.nativeLinker().defaultLookup().find("sigaction")
            .map(address -> Linker.nativeLinker().downcallHandle(address,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)));

    private SignalHandlers() {
    }

    /** Runs {@code nativeWork} and then restores the fault-signal handlers it found in place. */
    public static synchronized <T> T preserving(Supplier<T> nativeWork) {
        if (nativeWork == null) {
            throw new IllegalArgumentException("nativeWork: must not be null");
        }
        if (SIGACTION.isEmpty()) {
            return nativeWork.get();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] saved = new MemorySegment[FAULT_SIGNALS.length];
            for (int i = 0; i < FAULT_SIGNALS.length; i++) {
                saved[i] = arena.allocate(SIGACTION_BYTES, 16);
                sigaction(FAULT_SIGNALS[i], MemorySegment.NULL, saved[i]);
            }
            try {
                return nativeWork.get();
            } finally {
                for (int i = 0; i < FAULT_SIGNALS.length; i++) {
                    sigaction(FAULT_SIGNALS[i], saved[i], MemorySegment.NULL);
                }
            }
        }
    }

    private static void sigaction(int signal, MemorySegment action, MemorySegment previous) {
        int result;
        try {
            result = (int) SIGACTION.orElseThrow().invokeExact(signal, action, previous);
        } catch (Throwable e) {
            throw new IllegalStateException("sigaction(" + signal + ") could not be called: " + e, e);
        }
        if (result != 0) {
            throw new IllegalStateException("sigaction(" + signal + ") failed with " + result);
        }
    }
}
