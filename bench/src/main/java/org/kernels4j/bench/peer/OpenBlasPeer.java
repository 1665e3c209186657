package org.kernels4j.bench.peer;

import java.lang.invoke.MethodHandle;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * OpenBLAS as a benchmark peer, called through the FFM API: {@code cblas_sgemm} for FP32 → FP32 and,
 * when the library exports it, {@code cblas_sbgemm} for BF16 → FP32. It is a {@link Backend} so that
 * the benchmarks time it exactly as they time ours and the differential checker can hold it to the
 * reference, but it is not registered for dispatch: kernels4j never runs a user's GEMM on it.
 *
 * <p>Discovery never throws: without OpenBLAS the peer exists and {@link #availability()} says why.
 * OpenBLAS follows the reference-BLAS quick returns (beta = 0 does not read C, alpha = 0 does not read
 * A or B), which the checker verifies.
 *
 * <p>Thread safety: calls may come from several threads. The thread count is process-wide state of
 * OpenBLAS: {@link #setThreads} affects every peer in the process.
 */
public final class OpenBlasPeer implements Backend {
    public static final String NAME = "openblas";

    private final Optional<OpenBlasLibrary.Bindings> bindings;
    private final Device device;

    private OpenBlasPeer(OpenBlasLibrary.Loaded loaded) {
        this.bindings = loaded.bindings();
        this.device = bindings
                .map(b -> new Device(NAME, b.config() + " (" + b.location() + ")", Device.Kind.CPU,
                        b.sbgemm().isPresent() ? EnumSet.of(DType.FP32, DType.BF16) : EnumSet.of(DType.FP32), Availability.yes()))
                .orElseGet(() -> new Device(NAME, "(not loaded)", Device.Kind.CPU, Set.of(), Availability.no(loaded.reason())));
    }

    /** The peer, using {@code threads} OpenBLAS threads when available. */
    public static OpenBlasPeer open(int threads) {
        OpenBlasPeer peer = new OpenBlasPeer(OpenBlasLibrary.load());
        if (peer.availability().available()) {
            peer.setThreads(threads);
        }
        return peer;
    }

    @Override
    public Device device() {
        return device;
    }

    /** The CBLAS routine that would run {@code spec} ("cblas_sgemm"), for tables. */
    public String routine(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return spec.inputType() == DType.BF16 ? "cblas_sbgemm" : "cblas_sgemm";
    }

    /** Sets OpenBLAS's thread count (process-wide), so that the peer uses as many threads as we do. */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
        try {
            requireBindings().setThreads().invokeExact(threads);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
    }

    @Override
    public Availability supports(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!availability().available()) {
            return availability();
        }
        if (spec.outputType() != DType.FP32) {
            return Availability.no("OpenBLAS GEMM writes FP32 only, not " + spec.outputType());
        }
        if (spec.inputType() == DType.BF16 && bindings.orElseThrow().sbgemm().isEmpty()) {
            return Availability.no("this OpenBLAS build does not export cblas_sbgemm (BF16)");
        }
        if (spec.inputType() != DType.FP32 && spec.inputType() != DType.BF16) {
            return Availability.no("OpenBLAS has no " + spec.inputType() + " GEMM");
        }
        long largest = Math.max(Math.max(Math.max(spec.m(), spec.n()), spec.k()), Math.max(Math.max(spec.lda(), spec.ldb()), spec.ldc()));
        if (largest > Integer.MAX_VALUE) {
            return Availability.no("a dimension or leading dimension of " + largest + " exceeds OpenBLAS's 32-bit blasint");
        }
        return Availability.yes();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        Availability supported = supports(spec);
        if (!supported.available()) {
            throw new BackendUnavailableException(NAME, supported.reason());
        }
        spec.checkOperands(a, b, c);
        OpenBlasLibrary.Bindings bound = bindings.orElseThrow();
        MethodHandle routine = spec.inputType() == DType.BF16 ? bound.sbgemm().orElseThrow() : bound.sgemm();
        try {
            routine.invokeExact(OpenBlasLibrary.ROW_MAJOR,
                    spec.transA() ? OpenBlasLibrary.TRANS : OpenBlasLibrary.NO_TRANS,
                    spec.transB() ? OpenBlasLibrary.TRANS : OpenBlasLibrary.NO_TRANS,
                    (int) spec.m(), (int) spec.n(), (int) spec.k(),
                    spec.alpha(), a.segment(), (int) spec.lda(),
                    b.segment(), (int) spec.ldb(),
                    spec.beta(), c.segment(), (int) spec.ldc());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(routine(spec) + " failed", e);
        }
    }

    private OpenBlasLibrary.Bindings requireBindings() {
        return bindings.orElseThrow(() -> new BackendUnavailableException(NAME, availability().reason()));
    }

    /** Nothing to free: the library stays loaded for the process (see {@link OpenBlasLibrary}). */
    @Override
    public void close() {
    }
}
