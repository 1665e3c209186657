package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdleBuffersTest {
    @Test
    void aLaterCallReusesTheSetAnEarlierOneGaveBackEvenByAnException() {
        AtomicInteger created = new AtomicInteger();
        IdleBuffers<int[]> buffers = new IdleBuffers<>(() -> new int[] {created.incrementAndGet()});
        AtomicReference<int[]> first = new AtomicReference<>();
        assertThrows(IllegalStateException.class, () -> buffers.use(set -> {
            first.set(set);
            throw new IllegalStateException("call failed");
        }));
        buffers.use(set -> assertSame(first.get(), set));
        assertEquals(1, created.get());
    }

    @Test
    void callsRunningAtTheSameTimeGetSetsOfTheirOwn() {
        IdleBuffers<Object> buffers = new IdleBuffers<>(Object::new);
        buffers.use(outer -> buffers.use(inner -> assertNotSame(outer, inner)));
    }

    @Test
    void refusesNulls() {
        assertEquals("create", assertThrows(NullPointerException.class, () -> new IdleBuffers<>(null)).getMessage());
        assertEquals("call", assertThrows(NullPointerException.class, () -> new IdleBuffers<>(Object::new).use(null)).getMessage());
    }
}
