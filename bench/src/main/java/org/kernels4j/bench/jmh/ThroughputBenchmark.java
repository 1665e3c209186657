package org.kernels4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.kernels4j.Availability;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH setup every kernels4j benchmark shares (its subclasses inherit the annotations): calls per second over 5 × 2 s
 * after 3 × 2 s of warm-up, in one fork with the Vector API and native access, and {@link Work} for the secondary
 * score in GFLOP/s (GOP/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public abstract class ThroughputBenchmark {
    /** Operations done, as a JMH auxiliary counter: JMH divides it by the time, giving GFLOP/s (GOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double gigaOps;

        @Setup(Level.Iteration)
        public void reset() {
            gigaOps = 0;
        }
    }

    /**
     * Fails the setup with the reason (JMH reports it and goes on with the other combinations) when
     * {@code implementation} cannot run {@code dtype}.
     */
    static void requireSupported(String implementation, String dtype, Availability supported) {
        if (!supported.available()) {
            throw new IllegalStateException(implementation + " cannot run " + dtype + ": " + supported.reason());
        }
    }
}
