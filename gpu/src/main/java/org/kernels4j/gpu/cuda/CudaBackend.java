package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.gpu.ElementwiseReduce;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * The CUDA backend on one device: its primary context with the kernels4j fatbin loaded, GEMM (FP32 SIMT;
 * FP16, BF16 and INT8 on tensor cores), conv2d and elementwise reductions. The {@link Backend} methods take
 * host tensors and copy them to the device and the result back (C's padding untouched); the methods on
 * {@link CudaTensor}s run on device-resident data, so that a benchmark measures the kernels ({@link #timer()} times
 * them with CUDA events). Host data travels through a pinned staging buffer of the backend with asynchronous copies.
 *
 * <p>It offers no host {@link org.kernels4j.comm.Reducer}: staging host buffers through the GPU for each
 * reduction step would be slower than the CPU reducers, and dispatch would prefer it.
 *
 * <p>Thread-safe: calls may run from any thread at once (each makes the context current, has its own
 * scratch memory and waits for its own work). Every call returns when its results are complete.
 * {@link #close()} frees the device tensors still open and releases the context; calls must have
 * returned by then.
 */
public final class CudaBackend implements Backend {
    private final Device device;
    private final CudaContext context;
    private final CudaGemm gemm;
    private final CudaConv2d conv;
    private final CudaElementwiseReduce reduce;
    private volatile boolean closed;

    /**
     * @param device an available device as discovered
     * @param context its context, owned by this backend from now on
     */
    CudaBackend(Device device, CudaContext context) {
        this.device = Objects.requireNonNull(device, "device");
        this.context = Objects.requireNonNull(context, "context");
        if (!device.availability().available()) {
            throw new IllegalArgumentException("device: " + device.name() + " is unavailable: " + device.availability().reason());
        }
        this.gemm = new CudaGemm(context);
        this.conv = new CudaConv2d(context);
        this.reduce = new CudaElementwiseReduce(context);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        return CudaGemmPlan.feasibility(spec);
    }

    @Override
    public Availability supports(Conv2dSpec spec) {
        return CudaConvPlan.feasibility(spec);
    }

    /** Copies A and B (and C unless beta = 0) to the device, runs the GEMM there and copies C's rows back. */
    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(a, b, c);
        checkRunnable(supports(spec));
        if (spec.m() == 0 || spec.n() == 0) {
            return;
        }
        try (DeviceCopies copies = new DeviceCopies()) {
            CudaTensor deviceA = copies.matrix(a, spec.aRows(), spec.aCols(), spec.lda(), spec.alpha() != 0f);
            CudaTensor deviceB = copies.matrix(b, spec.bRows(), spec.bCols(), spec.ldb(), spec.alpha() != 0f);
            CudaTensor deviceC = copies.matrix(c, spec.m(), spec.n(), spec.ldc(), spec.beta() != 0f);
            gemm.gemm(spec, deviceA, deviceB, deviceC);
            deviceC.copyTo(c);
        }
    }

    /** Copies x, w and the bias to the device, runs the convolution there and copies y back. */
    @Override
    public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(x, w, bias, y);
        checkRunnable(supports(spec));
        try (DeviceCopies copies = new DeviceCopies()) {
            CudaTensor deviceX = copies.dense(x);
            CudaTensor deviceW = copies.dense(w);
            CudaTensor deviceBias = bias == null ? null : copies.dense(bias);
            CudaTensor deviceY = copies.add(CudaTensor.allocate(context, y.dtype(), y.shape()));
            conv.conv2d(spec, deviceX, deviceW, deviceBias, deviceY);
            deviceY.copyTo(y);
        }
    }

    /** {@code C = alpha·op(A)·op(B) + beta·C} on device tensors (shapes, dtypes and leading dimensions as for host tensors). */
    public void gemm(GemmSpec spec, CudaTensor a, CudaTensor b, CudaTensor c) {
        checkRunnable(supports(spec));
        gemm.gemm(spec, a, b, c);
    }

    /** {@code y = conv2d(x, w) + bias} on contiguous device tensors; {@code bias} is null exactly when the spec has none. */
    public void conv2d(Conv2dSpec spec, CudaTensor x, CudaTensor w, CudaTensor bias, CudaTensor y) {
        checkRunnable(supports(spec));
        conv.conv2d(spec, x, w, bias, y);
    }

    /** {@code out[i] = a[i] op b[i]} on contiguous device tensors of one shape and dtype; {@code out} may be {@code a} or {@code b}. */
    public void reduce(ElementwiseReduce op, CudaTensor a, CudaTensor b, CudaTensor out) {
        checkOpen();
        reduce.reduce(op, a, b, out);
    }

    /** A timer of device time on this backend's stream, for the calls on device tensors; the caller closes it. */
    public CudaTimer timer() {
        checkOpen();
        return new CudaTimer(context);
    }

    /** An uninitialized contiguous device tensor. */
    public CudaTensor allocate(DType dtype, long... shape) {
        checkOpen();
        return CudaTensor.allocate(context, dtype, shape);
    }

    /** An uninitialized device matrix with rows {@code ld} elements apart. */
    public CudaTensor allocateMatrix(DType dtype, long rows, long cols, long ld) {
        checkOpen();
        return CudaTensor.allocateMatrix(context, dtype, rows, cols, ld);
    }

    /** A device copy of {@code host}, with the same shape and (for a matrix) the same leading dimension. */
    public CudaTensor upload(Tensor host) {
        Objects.requireNonNull(host, "host");
        checkOpen();
        CudaTensor copy = host.rank() == 2 && host.stride(1) == 1
                ? CudaTensor.allocateMatrix(context, host.dtype(), host.dim(0), host.dim(1), Math.max(Math.max(1, host.dim(1)), host.stride(0)))
                : CudaTensor.allocate(context, host.dtype(), host.shape());
        try {
            copy.copyFrom(host);
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            context.close();
        }
    }

    /** Open, and the spec fits the device's grids; a spec that does not is refused as the SPI says. */
    private void checkRunnable(Availability supported) {
        checkOpen();
        if (!supported.available()) {
            throw new BackendUnavailableException(name(), supported.reason());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(CudaBackendProvider.NAME + " backend is closed");
        }
    }

    /** The device copies of one host call, freed together. */
    private final class DeviceCopies implements AutoCloseable {
        private final List<CudaTensor> tensors = new ArrayList<>();

        CudaTensor add(CudaTensor tensor) {
            tensors.add(tensor);
            return tensor;
        }

        /** A device matrix with the spec's leading dimension, holding {@code host}'s values when {@code copy}. */
        CudaTensor matrix(Tensor host, long rows, long cols, long ld, boolean copy) {
            CudaTensor tensor = add(CudaTensor.allocateMatrix(context, host.dtype(), rows, cols, ld));
            if (copy) {
                tensor.copyFrom(host);
            }
            return tensor;
        }

        CudaTensor dense(Tensor host) {
            CudaTensor tensor = add(CudaTensor.allocate(context, host.dtype(), host.shape()));
            tensor.copyFrom(host);
            return tensor;
        }

        @Override
        public void close() {
            tensors.forEach(CudaTensor::close);
        }
    }
}
