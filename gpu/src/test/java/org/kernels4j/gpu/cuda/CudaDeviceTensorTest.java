package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.ScalarReducer;
import org.kernels4j.gpu.ElementwiseReduce;
import org.kernels4j.gpu.NaNOperands;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Requirements;

/**
 * Device-resident tensors on the first CUDA device: copies keep host padding, the device GEMM gives the
 * host path's bits on every repack path, reductions run in place and store the CPU reducer's NaN bits, and misuse
 * is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CudaDeviceTensorTest {
    private static final float ROGUE = -999f;

    private CudaBackend cuda;

    @BeforeAll
    void open() {
        Backend backend = new CudaBackendProvider().create(BackendContext.defaults());
        Requirements.assumeAvailable(CudaBackendProvider.NAME, backend.availability());
        cuda = (CudaBackend) backend;
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
        }
    }

    @Test
    void aRoundTripKeepsValuesAndLeavesHostPaddingAlone() {
        try (Tensor host = randomMatrix(DType.BF16, 37, 13, 21, 1);
             CudaTensor device = cuda.upload(host);
             Tensor back = paddedWithRogues(DType.BF16, 37, 13, 16)) {
            assertEquals(21, device.stride(0));
            device.copyTo(back);
            assertArrayEquals(host.toFloatArray(), back.toFloatArray());
            for (long row = 0; row < 37; row++) {
                for (long col = 13; col < 16; col++) {
                    assertEquals(ROGUE, (float) DType.BF16.read(back.segment(), row * 16 + col), "padding at " + row + ", " + col);
                }
            }
        }
    }

    @Test
    void deviceGemmGivesTheHostPathsBitsOnEveryRepackPath() {
        // lda = 70 halves breaks 16-byte rows (REALIGN), transA needs a TRANSPOSE, B stored k×n a TRANSPOSE too.
        long m = 150;
        long n = 133;
        long k = 70;
        for (boolean transA : new boolean[] {false, true}) {
            for (DType input : new DType[] {DType.FP16, DType.INT8, DType.FP32}) {
                GemmSpec spec = GemmSpec.builder().inputType(input).m(m).n(n).k(k).transA(transA).beta(1f).build();
                try (Tensor a = randomMatrix(input, spec.aRows(), spec.aCols(), spec.lda(), 2);
                     Tensor b = randomMatrix(input, spec.bRows(), spec.bCols(), spec.ldb(), 3);
                     Tensor c = randomMatrix(spec.outputType(), m, n, n, 4);
                     Tensor hostResult = c.convertTo(spec.outputType());
                     CudaTensor deviceA = cuda.upload(a);
                     CudaTensor deviceB = cuda.upload(b);
                     CudaTensor deviceC = cuda.upload(c);
                     Tensor deviceResult = Tensor.allocate(spec.outputType(), m, n)) {
                    cuda.gemm(spec, a, b, hostResult);
                    cuda.gemm(spec, deviceA, deviceB, deviceC);
                    deviceC.copyTo(deviceResult);
                    assertArrayEquals(hostResult.toDoubleArray(), deviceResult.toDoubleArray(), spec.toString());
                    assertTrue(java.util.Arrays.stream(deviceResult.toDoubleArray()).anyMatch(v -> v != 0), "not all zeros");
                }
            }
        }
    }

    @Test
    void reductionsRunInPlaceAndWrapIntegers() {
        try (Tensor a = Tensor.fromBytes(new byte[] {100, -128, 5, 0}, 4);
             Tensor b = Tensor.fromBytes(new byte[] {100, -1, -5, 7}, 4);
             CudaTensor deviceA = cuda.upload(a);
             CudaTensor deviceB = cuda.upload(b);
             Tensor result = Tensor.allocate(DType.INT8, 4)) {
            cuda.reduce(ElementwiseReduce.SUM, deviceA, deviceB, deviceA);
            deviceA.copyTo(result);
            assertArrayEquals(new int[] {-56, 127, 0, 7}, result.toIntArray());
            cuda.reduce(ElementwiseReduce.MAX, deviceA, deviceB, deviceB);
            deviceB.copyTo(result);
            assertArrayEquals(new int[] {100, 127, 0, 7}, result.toIntArray());
        }
    }

    @Test
    void copiesLargerThanThePinnedBufferRoundTripInPipelinedChunks() {
        // Both copies pass more bytes than the two halves hold, and end in a partial chunk.
        long bufferBytes = 2 * PinnedStaging.DEFAULT_HALF_BYTES;
        long elements = bufferBytes / 2 + 5;
        long rows = bufferBytes / (4 * 1000) + 7;
        try (Tensor dense = randomMatrix(DType.FP32, 1, elements, elements, 2);
             Tensor strided = randomMatrix(DType.FP32, rows, 1000, 1003, 3);
             CudaTensor deviceDense = cuda.upload(dense);
             CudaTensor deviceStrided = cuda.allocateMatrix(DType.FP32, rows, 1000, 1001);
             Tensor denseBack = Tensor.allocate(DType.FP32, dense.shape());
             Tensor stridedBack = paddedWithRogues(DType.FP32, rows, 1000, 1002)) {
            deviceStrided.copyFrom(strided);
            deviceDense.copyTo(denseBack);
            deviceStrided.copyTo(stridedBack);
            assertEquals(dense.segment().mismatch(denseBack.segment()), -1L, "dense round trip");
            assertArrayEquals(strided.toFloatArray(), stridedBack.toFloatArray());
            assertEquals(ROGUE, (float) DType.FP32.read(stridedBack.segment(), (rows - 1) * 1002 + 1001), "last padding");
        }
    }

    @Test
    void aTimerGivesTheDeviceTimeOfTheWorkBetweenStartAndStop() {
        GemmSpec spec = GemmSpec.builder().m(512).n(512).k(512).build();
        try (CudaTensor a = cuda.allocate(DType.FP32, 512, 512);
             CudaTensor c = cuda.allocate(DType.FP32, 512, 512);
             CudaTimer timer = cuda.timer()) {
            assertThrows(IllegalStateException.class, timer::elapsedMilliseconds);
            assertThrows(IllegalStateException.class, timer::stop);
            timer.start();
            cuda.gemm(spec, a, a, c);
            timer.stop();
            float milliseconds = timer.elapsedMilliseconds();
            assertTrue(milliseconds > 0 && Float.isFinite(milliseconds), "elapsed " + milliseconds);
        }
    }

    @Test
    void nanResultsHaveTheCpuReducersBitsInEitherOperandOrder() {
        for (DType dtype : List.of(DType.FP32, DType.FP16, DType.BF16)) {
            for (ElementwiseReduce op : ElementwiseReduce.values()) {
                for (int order = 0; order < 2; order++) {
                    try (Tensor a = NaNOperands.operand(dtype, order);
                         Tensor b = NaNOperands.operand(dtype, 1 - order);
                         CudaTensor deviceA = cuda.upload(a);
                         CudaTensor deviceB = cuda.upload(b);
                         Tensor result = Tensor.allocate(dtype, NaNOperands.COUNT)) {
                        cuda.reduce(op, deviceA, deviceB, deviceA);
                        deviceA.copyTo(result);
                        ScalarReducer.INSTANCE.reduce(dtype, ReduceOp.valueOf(op.name()), b.segment(), 0, a.segment(), 0,
                                NaNOperands.COUNT);
                        for (int i = 0; i < NaNOperands.COUNT; i++) {
                            assertEquals(NaNOperands.bits(a, i), NaNOperands.bits(result, i),
                                    dtype + " " + op + " element " + i + " order " + order);
                        }
                    }
                }
            }
        }
    }

    @Test
    void misuseIsRefusedByName() {
        GemmSpec spec = GemmSpec.builder().m(2).n(2).k(2).build();
        try (CudaTensor a = cuda.allocate(DType.FP32, 2, 2);
             CudaTensor wrongType = cuda.allocate(DType.FP16, 2, 2);
             Backend other = new CudaBackendProvider().create(BackendContext.defaults());
             CudaTensor foreign = ((CudaBackend) other).allocate(DType.FP32, 2, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cuda.gemm(spec, a, wrongType, foreign));
            assertTrue(e.getMessage().startsWith("b.dtype: FP16"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cuda.gemm(spec, a, a, foreign));
            assertTrue(e.getMessage().contains("belongs to another CUDA backend"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cuda.gemm(spec, a, a, a));
            assertTrue(e.getMessage().startsWith("c: the output must not be an input"), e.getMessage());
            CudaTensor closed = cuda.allocate(DType.FP32, 2, 2);
            closed.close();
            assertThrows(IllegalStateException.class, () -> cuda.gemm(spec, a, a, closed));
        }
    }

    private static Tensor randomMatrix(DType dtype, long rows, long cols, long ld, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.allocateMatrix(dtype, rows, cols, ld);
        for (long i = 0; i < rows * ld; i++) {
            double value = dtype.isFloatingPoint() ? random.nextDouble(-2, 2) : random.nextInt(-128, 128);
            dtype.write(t.segment(), i, value);
        }
        return t;
    }

    private static Tensor paddedWithRogues(DType dtype, long rows, long cols, long ld) {
        Tensor t = Tensor.allocateMatrix(dtype, rows, cols, ld);
        for (long i = 0; i < rows * ld; i++) {
            dtype.write(t.segment(), i, ROGUE);
        }
        return t;
    }
}
