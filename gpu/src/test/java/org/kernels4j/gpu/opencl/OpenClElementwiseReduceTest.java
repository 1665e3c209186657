package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Half;
import org.kernels4j.gpu.ElementwiseReduce;
import org.kernels4j.testing.Requirements;

/**
 * Builds native/opencl/elementwise_reduce.cl on the preferred OpenCL device (PoCL in CI) and checks
 * every kernel, bit for bit, against Java's arithmetic: fp32 as Java floats, fp16/bf16 widened to float
 * and rounded once, int8/int32 wrapping, max/min as Math.max/min (NaN wins, -0 < +0).
 */
class OpenClElementwiseReduceTest {
    private static final int RANDOM_PAIRS = 2048;
    // Fewer work-items than elements, so each walks the buffer several times; and more, so some idle.
    private static final int FEW_WORK_ITEMS = 7;

    private static ElementwiseReduceRunner program;

    @BeforeAll
    static void buildProgram() {
        OpenClDiscovery.Discovered discovered = OpenClDiscovery.discover();
        Requirements.assumeAvailable("opencl", discovered.device().availability());
        program = new ElementwiseReduceRunner(discovered.chosen().orElseThrow());
    }

    @AfterAll
    static void releaseProgram() {
        if (program != null) {
            program.close();
        }
    }

    @Test
    void programHasEveryKernelTheJavaSideNames() {
        assertTrue(program.kernelNames().containsAll(ElementwiseReduce.kernelNames()), program.kernelNames().toString());
    }

    static Stream<Arguments> kernels() {
        return Stream.of(ElementwiseReduce.values())
                .flatMap(op -> ElementwiseReduce.DTYPES.stream().map(dtype -> Arguments.of(op, dtype)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernels")
    void matchesJavaArithmetic(ElementwiseReduce op, DType dtype) {
        List<double[]> pairs = pairs(dtype, new SplittableRandom(op.ordinal() * 31L + dtype.ordinal()));
        byte[] a = encode(dtype, pairs, 0);
        byte[] b = encode(dtype, pairs, 1);
        byte[] expected = expected(op, dtype, pairs);

        for (int workItems : new int[] {FEW_WORK_ITEMS, pairs.size() + 5}) {
            byte[] out = program.run(op.kernelName(dtype), a, b, dtype.byteSize(), workItems, false);
            assertSameValues(dtype, pairs, expected, out, op + " " + dtype + " on " + workItems + " work-items");
        }
    }

    @Test
    void outMayAliasAnInput() {
        List<double[]> pairs = pairs(DType.FP32, new SplittableRandom(7));
        byte[] out = program.run(ElementwiseReduce.SUM.kernelName(DType.FP32), encode(DType.FP32, pairs, 0),
                encode(DType.FP32, pairs, 1), DType.FP32.byteSize(), FEW_WORK_ITEMS, true);
        assertSameValues(DType.FP32, pairs, expected(ElementwiseReduce.SUM, DType.FP32, pairs), out, "in place");
    }

    /** Every pair of edge values, then random pairs. */
    private static List<double[]> pairs(DType dtype, SplittableRandom random) {
        double[] edges = edges(dtype);
        List<double[]> pairs = new ArrayList<>();
        for (double x : edges) {
            for (double y : edges) {
                pairs.add(new double[] {x, y});
            }
        }
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            pairs.add(new double[] {randomValue(dtype, random), randomValue(dtype, random)});
        }
        return pairs;
    }

    private static double[] edges(DType dtype) {
        return switch (dtype) {
            case FP32 -> new double[] {0.0, -0.0, 1, -1, 1.5, -2.25, 0.1f, 1 + 0x1p-23, 0x1p-24, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            // 1 + 2^-11 and 1 + 2^-10 + 2^-11 are ties in fp16; 65504 + 65504 overflows; 2^-24 is subnormal.
            case FP16 -> new double[] {0.0, -0.0, 1, -1, 0x1p-11, 1 + 0x1p-10, 1.5, -2.25, Half.MAX_VALUE,
                -Half.MAX_VALUE, 0x1p-24, 0x1p-14, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            // 1 + 2^-8 and 1 + 2^-7 + 2^-8 are ties in bf16.
            case BF16 -> new double[] {0.0, -0.0, 1, -1, 0x1p-8, 1 + 0x1p-7, 1.5, -2.25, DType.BF16.maxValue(),
                -DType.BF16.maxValue(), 0x1p-126, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            case INT8 -> new double[] {Byte.MIN_VALUE, -1, 0, 1, 16, -16, 100, Byte.MAX_VALUE};
            case INT32 -> new double[] {Integer.MIN_VALUE, -3, -1, 0, 1, 7, 46341, 65536, Integer.MAX_VALUE};
        };
    }

    private static double randomValue(DType dtype, SplittableRandom random) {
        return switch (dtype) {
            case FP32 -> (random.nextDouble() * 2 - 1) * Math.scalb(1.0, random.nextInt(-30, 30));
            case FP16 -> Half.toFloat((short) random.nextInt(1 << 16));
            case BF16 -> BFloat16.toFloat((short) random.nextInt(1 << 16));
            case INT8 -> (byte) random.nextInt();
            case INT32 -> random.nextInt();
        };
    }

    private static byte[] encode(DType dtype, List<double[]> pairs, int side) {
        byte[] bytes = new byte[pairs.size() * dtype.byteSize()];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        for (int i = 0; i < pairs.size(); i++) {
            dtype.write(segment, i, pairs.get(i)[side]);
        }
        return bytes;
    }

    private static byte[] expected(ElementwiseReduce op, DType dtype, List<double[]> pairs) {
        byte[] bytes = new byte[pairs.size() * dtype.byteSize()];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        for (int i = 0; i < pairs.size(); i++) {
            double x = dtype.round(pairs.get(i)[0]);
            double y = dtype.round(pairs.get(i)[1]);
            double result = dtype.isFloatingPoint() ? combine(op, (float) x, (float) y) : combine(op, (int) x, (int) y);
            dtype.write(segment, i, result);
        }
        return bytes;
    }

    private static float combine(ElementwiseReduce op, float x, float y) {
        return switch (op) {
            case SUM -> x + y;
            case PROD -> x * y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
        };
    }

    private static int combine(ElementwiseReduce op, int x, int y) {
        return switch (op) {
            case SUM -> x + y;
            case PROD -> x * y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
        };
    }

    private static void assertSameValues(DType dtype, List<double[]> pairs, byte[] expected, byte[] actual, String what) {
        MemorySegment want = MemorySegment.ofArray(expected);
        MemorySegment got = MemorySegment.ofArray(actual);
        for (int i = 0; i < pairs.size(); i++) {
            double w = dtype.read(want, i);
            double g = dtype.read(got, i);
            // doubleToLongBits makes every NaN equal and keeps -0 apart from +0.
            final int index = i;
            assertEquals(Double.doubleToLongBits(w), Double.doubleToLongBits(g), () -> what + " at " + index + ": "
                    + pairs.get(index)[0] + " and " + pairs.get(index)[1] + " gave " + g + ", expected " + w);
        }
    }
}
