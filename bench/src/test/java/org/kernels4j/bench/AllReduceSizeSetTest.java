package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The all-reduce sizes: the ×2 sweep between its ends and the named sizes, smallest first. */
class AllReduceSizeSetTest {
    @Test
    void expandsTheSweepAndKeepsTheNamedSizes() {
        List<AllReduceSizeSet.Size> sizes = AllReduceSizeSet.standard();
        List<Long> sweep = sizes.stream().filter(s -> s.name().equals(AllReduceSizeSet.SWEEP)).map(AllReduceSizeSet.Size::bytes).toList();
        assertEquals(26, sweep.size(), sweep::toString);
        assertEquals(8L, sweep.getFirst());
        assertEquals(256L << 20, sweep.getLast());
        assertTrue(sizes.contains(new AllReduceSizeSet.Size("deepbench_100k_floats", 400_000)), sizes::toString);
        assertTrue(sizes.contains(new AllReduceSizeSet.Size("deepbench_64.5M_floats", 258_000_000)), sizes::toString);
        for (int i = 1; i < sizes.size(); i++) {
            assertTrue(sizes.get(i - 1).bytes() <= sizes.get(i).bytes(), sizes::toString);
        }
    }

    @Test
    void picksSizesByBytesInTheOrderGiven() {
        assertEquals(List.of(400_000L, 8L), AllReduceSizeSet.withBytes(400_000, 8).stream().map(AllReduceSizeSet.Size::bytes).toList());
        assertThrows(IllegalArgumentException.class, () -> AllReduceSizeSet.withBytes(12));
    }

    @Test
    void refusesATableWithoutBothEndsOfTheSweep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllReduceSizeSet.parse("name,bytes\nsweep_min,64\nother,100\n"));
        assertTrue(e.getMessage().contains("sweep_max = 0"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> AllReduceSizeSet.parse("name,bytes\nsweep_min,8,9\n"));
    }
}
