package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The standard GEMM shape set shipped with the bench module. */
class GemmShapeSetTest {
    @Test
    void readsEveryShapeWithItsTransposeFlags() {
        List<GemmProblem> shapes = GemmShapeSet.standard();
        assertEquals(17, shapes.size());
        assertEquals(new GemmProblem("square_256", GemmShape.square(256), false, false), shapes.getFirst());
        GemmProblem decode = GemmShapeSet.named("llm_decode_m8").getFirst();
        assertEquals(new GemmShape(8, 4096, 4096), decode.shape());
        assertEquals("8×4096×4096 NT", decode.label());
        assertEquals("512×512×512", GemmShapeSet.named("square_512").getFirst().label());
    }

    @Test
    void refusesUnknownNamesAndMalformedLines() {
        assertThrows(NoSuchElementException.class, () -> GemmShapeSet.named("square_3"));
        assertThrows(IllegalArgumentException.class, () -> GemmShapeSet.parse("name,M,N,K,transA,transB\nx,1,2,3,N\n"));
        assertThrows(IllegalArgumentException.class, () -> GemmShapeSet.parse("name,M,N,K,transA,transB\nx,1,2,3,N,Y\n"));
    }
}
