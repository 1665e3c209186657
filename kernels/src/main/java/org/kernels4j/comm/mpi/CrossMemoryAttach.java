package org.kernels4j.comm.mpi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether Linux cross-memory attach ({@code process_vm_readv}) works for this user here. Open MPI's
 * shared-memory transport (vader) copies large messages with it by default, and a job fails on its
 * first large message where containers forbid it (a seccomp profile that blocks the call, or a Yama
 * ptrace scope of 2 or more); {@link MpiLauncher} then turns it off.
 *
 * <p>The probe reads a few bytes of this process through the call: seccomp filters the call whatever
 * its target, so a refusal here is a refusal between ranks too. Stateless; the result is computed once.
 */
// The probe calls libc through the FFM API; the launcher's JVM has --enable-native-access.
@SuppressWarnings("restricted")
final class CrossMemoryAttach {
    private static final Path YAMA_PTRACE_SCOPE = Path.of("/proc/sys/kernel/yama/ptrace_scope");

    private static final class Holder {
        static final Optional<String> REFUSAL = probe();
    }

    private CrossMemoryAttach() {
    }

    /** Why cross-memory attach cannot be used here; empty when it can (or when this is not Linux). */
    static Optional<String> refusal() {
        return Holder.REFUSAL;
    }

    private static Optional<String> probe() {
        Optional<String> yama = yamaRefusal();
        if (yama.isPresent()) {
            return yama;
        }
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> readv = linker.defaultLookup().find("process_vm_readv");
        Optional<MemorySegment> getpid = linker.defaultLookup().find("getpid");
        if (readv.isEmpty() || getpid.isEmpty()) {
            return Optional.empty();
        }
        MethodHandle processVmReadv = linker.downcallHandle(readv.get(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
        MethodHandle pid = linker.downcallHandle(getpid.get(), FunctionDescriptor.of(JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(JAVA_LONG);
            source.set(JAVA_LONG, 0, 0x6b346a4d5049L);
            MemorySegment target = arena.allocate(JAVA_LONG);
            MemorySegment localIov = iovec(arena, target);
            MemorySegment remoteIov = iovec(arena, source);
            long read = (long) processVmReadv.invokeExact((int) pid.invokeExact(), localIov, 1L, remoteIov, 1L, 0L);
            if (read != JAVA_LONG.byteSize() || target.get(JAVA_LONG, 0) != source.get(JAVA_LONG, 0)) {
                return Optional.of("process_vm_readv is refused here (seccomp or missing ptrace permission)");
            }
            return Optional.empty();
        } catch (Throwable e) {
            return Optional.of("process_vm_readv could not be probed: " + e);
        }
    }

    /** struct iovec {void *base; size_t length} describing {@code segment}. */
    private static MemorySegment iovec(Arena arena, MemorySegment segment) {
        MemorySegment iov = arena.allocate(2 * ADDRESS.byteSize(), ADDRESS.byteAlignment());
        iov.set(ADDRESS, 0, segment);
        iov.set(JAVA_LONG, ADDRESS.byteSize(), segment.byteSize());
        return iov;
    }

    private static Optional<String> yamaRefusal() {
        if (!Files.isReadable(YAMA_PTRACE_SCOPE)) {
            return Optional.empty();
        }
        try {
            int scope = Integer.parseInt(Files.readString(YAMA_PTRACE_SCOPE).strip());
            // Scope 1 is fine: Open MPI declares its peers allowed ptracers (PR_SET_PTRACER).
            return scope >= 2 ? Optional.of("Yama ptrace_scope is " + scope + ", which forbids attaching to peers") : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
