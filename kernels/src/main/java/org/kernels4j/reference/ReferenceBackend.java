package org.kernels4j.reference;

import java.util.EnumSet;
import java.util.Optional;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.GemmPreamble;

/** Scalar, single-threaded, obviously correct: the oracle every other backend is tested against. */
public final class ReferenceBackend implements Backend {
    public static final String NAME = "reference";

    private final Device device = new Device(NAME, "scalar Java, double accumulation", Device.Kind.CPU,
            EnumSet.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8), Availability.yes());

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        return Availability.yes();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        if (GemmPreamble.handleTrivialCases(spec, a, b, c)) {
            return;
        }
        double[] values = ReferenceGemm.compute(spec, a, b, c).values();
        int n = Math.toIntExact(spec.n());
        for (int i = 0; i < spec.m(); i++) {
            for (int j = 0; j < n; j++) {
                spec.outputType().write(c.segment(), i * spec.ldc() + j, values[i * n + j]);
            }
        }
    }

    @Override
    public Availability supports(Conv2dSpec spec) {
        return Availability.yes();
    }

    @Override
    public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        spec.checkOperands(x, w, bias, y);
        double[] values = ReferenceConv2d.compute(spec, x, w, bias).values();
        for (int e = 0; e < values.length; e++) {
            spec.outputType().write(y.segment(), e, values[e]);
        }
    }

    @Override
    public Optional<Reducer> reducer() {
        return Optional.of(ScalarReducer.INSTANCE);
    }

    @Override
    public void close() {
    }
}
