package org.kernels4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Leading-dimension rules over the whole space of shapes and transposes. */
class GemmSpecPropertiesTest {
    @Property(tries = 500)
    void minimalLeadingDimensionsAreAcceptedAndOneLessIsRejected(
            @ForAll @IntRange(min = 0, max = 300) int m, @ForAll @IntRange(min = 0, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 300) int k, @ForAll boolean transA, @ForAll boolean transB) {
        GemmSpec spec = GemmSpec.builder().m(m).n(n).k(k).transA(transA).transB(transB).build();
        assertEquals(Math.max(1, transA ? m : k), spec.lda());
        assertEquals(Math.max(1, transB ? k : n), spec.ldb());
        assertEquals(Math.max(1, n), spec.ldc());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.toBuilder().lda(spec.lda() - 1).build());
        assertTrue(e.getMessage().startsWith("lda: " + (spec.lda() - 1) + " is less than max(1, "), e.getMessage());
    }

    @Property(tries = 200)
    void storedShapesSwapWithTransposes(@ForAll @IntRange(min = 0, max = 50) int m, @ForAll @IntRange(min = 0, max = 50) int n,
                                        @ForAll @IntRange(min = 0, max = 50) int k, @ForAll boolean transA, @ForAll boolean transB) {
        GemmSpec spec = GemmSpec.builder().m(m).n(n).k(k).transA(transA).transB(transB).build();
        assertEquals(m * k, spec.aRows() * spec.aCols());
        assertEquals(transA ? k : m, spec.aRows());
        assertEquals(transB ? n : k, spec.bRows());
    }
}
