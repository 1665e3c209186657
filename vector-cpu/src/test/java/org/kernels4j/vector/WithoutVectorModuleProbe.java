package org.kernels4j.vector;

import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Execution;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/**
 * Run by {@link WithoutVectorModuleTest} in a JVM started without {@code --add-modules jdk.incubator.vector}:
 * opens the library twice, prints every device as {@code device|backend|available|reason}, then runs a GEMM
 * through automatic dispatch and prints {@code ran|backend|result}.
 */
public final class WithoutVectorModuleProbe {
    private WithoutVectorModuleProbe() {
    }

    public static void main(String[] args) {
        try (Kernels first = Kernels.open(2)) {
            first.devices();
        }
        try (Kernels kernels = Kernels.open(2);
             Tensor a = Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3, 4}, 2, 2);
             Tensor b = Tensor.fromFloats(DType.FP32, new float[] {5, 6, 7, 8}, 2, 2);
             Tensor c = Tensor.allocate(DType.FP32, 2, 2)) {
            for (Device device : kernels.devices()) {
                System.out.println("device|" + device.backend() + "|" + device.availability().available() + "|"
                        + device.availability().reason());
            }
            Execution ran = kernels.gemm(GemmSpec.of(a, b), a, b, c);
            System.out.println("ran|" + ran.backend() + "|" + java.util.Arrays.toString(c.toFloatArray()));
        }
    }
}
