package org.kernels4j.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.ScalarReducer;

class ElementwiseReduceTest {
    @Test
    void namesFollowTheOpAndTheDtype() {
        assertEquals("k4j_reduce_sum_fp32", ElementwiseReduce.SUM.kernelName(DType.FP32));
        assertEquals("k4j_reduce_max_bf16", ElementwiseReduce.MAX.kernelName(DType.BF16));
        assertEquals("k4j_reduce_prod_int8", ElementwiseReduce.PROD.kernelName(DType.INT8));
    }

    @Test
    void listsOneKernelPerOpAndDtype() {
        List<String> names = ElementwiseReduce.kernelNames();
        assertEquals(ElementwiseReduce.values().length * ElementwiseReduce.DTYPES.size(), Set.copyOf(names).size());
        assertTrue(names.contains("k4j_reduce_min_int32"));
    }

    @Test
    void rejectsMissingDtypes() {
        assertThrows(NullPointerException.class, () -> ElementwiseReduce.SUM.kernelName(null));
    }

    /** The bits elementwise_reduce.cu and elementwise_reduce.cl write for a NaN result are those the CPU reducer stores. */
    @Test
    void theCpuReducerStoresTheCanonicalNaNsTheGpuKernelsWrite() {
        for (DType dtype : List.of(DType.FP32, DType.FP16, DType.BF16)) {
            for (ReduceOp op : List.of(ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MAX, ReduceOp.MIN)) {
                for (int order = 0; order < 2; order++) {
                    try (Tensor dst = NaNOperands.operand(dtype, order); Tensor src = NaNOperands.operand(dtype, 1 - order)) {
                        ScalarReducer.INSTANCE.reduce(dtype, op, src.segment(), 0, dst.segment(), 0, NaNOperands.COUNT);
                        for (int i = 0; i < NaNOperands.COUNT; i++) {
                            assertEquals(NaNOperands.canonicalBits(dtype), NaNOperands.bits(dst, i),
                                    dtype + " " + op + " element " + i + " order " + order);
                        }
                    }
                }
            }
        }
    }
}
