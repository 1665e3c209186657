package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void runsEveryItemExactlyOnceWithParticipantsInRange() {
        try (WorkerPool pool = new WorkerPool(3, "test-pool")) {
            for (int count : new int[] {0, 1, 2, 3, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
                pool.forEach(count, (item, participant) -> {
                    assertTrue(participant >= 0 && participant < 3, "participant " + participant);
                    runs.incrementAndGet(item);
                });
                for (int item = 0; item < count; item++) {
                    assertEquals(1, runs.get(item), "item " + item + " of " + count);
                }
            }
        }
    }

    @Test
    void wakesHelpersThatParkedWhileIdle() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            for (int round = 0; round < 3; round++) {
                Thread.sleep(20);  // far beyond the spin time: the helper has parked
                AtomicIntegerArray runs = new AtomicIntegerArray(64);
                pool.forEach(64, (item, participant) -> runs.incrementAndGet(item));
                for (int item = 0; item < 64; item++) {
                    assertEquals(1, runs.get(item), "item " + item + " in round " + round);
                }
            }
        }
    }

    @Test
    void servesSeveralCallersAtOnce() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(3, "test-pool")) {
            int callers = 4;
            int count = 500;
            AtomicIntegerArray runs = new AtomicIntegerArray(callers * count);
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int caller = c;
                threads[c] = new Thread(() -> {
                    for (int call = 0; call < 20; call++) {
                        pool.forEach(count, (item, participant) -> runs.incrementAndGet(caller * count + item));
                    }
                });
                threads[c].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (int i = 0; i < callers * count; i++) {
                assertEquals(20, runs.get(i), "item " + i);
            }
        }
    }

    @Test
    void rethrowsTheFirstFailureToTheCaller() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            IllegalStateException failure = new IllegalStateException("item 7 failed");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.forEach(100, (item, participant) -> {
                if (item == 7) {
                    throw failure;
                }
            }));
            assertSame(failure, thrown);
            pool.forEach(10, (item, participant) -> { });
        }
    }

    @Test
    void validatesItsArgumentsAndRefusesWorkOnceClosed() {
        assertEquals("threads: 0 is less than 1",
                assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0, "x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(2, " "));
        WorkerPool pool = new WorkerPool(2, "test-pool");
        assertEquals("count: -1 is negative",
                assertThrows(IllegalArgumentException.class, () -> pool.forEach(-1, (item, participant) -> { })).getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.forEach(1, null));
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.forEach(1, (item, participant) -> { }));
    }
}
