package org.kernels4j.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;

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
}
