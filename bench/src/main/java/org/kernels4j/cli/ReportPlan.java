package org.kernels4j.cli;

import java.time.Duration;
import java.util.List;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.GemmShapeSet;
import org.kernels4j.bench.GemmTimer;

/**
 * How much {@code k4j report} measures in each mode.
 * <ul>
 *   <li>quick (about a minute on 2 cores): the quick validation; 256³, 512³ and the LLM decode shape 8×4096×4096
 *       with all processors; 3 runs per point;</li>
 *   <li>default: the full validation; 256³, 512³, 1024³ and the LLM decode/prefill shapes (m = 1, 8, 32), with one
 *       thread and with all processors; 5 runs per point;</li>
 *   <li>full: the full validation and every shape of the standard set (square up to 4096³, LLM projections,
 *       DeepBench) at its listed size, with one thread and with all processors; a point stops after 10 s of
 *       measured calls (at least one call);</li>
 *   <li>tiny (the system property {@value #TINY}, for tests only): the quick validation, two tiny shapes, no
 *       warm-up, small bandwidth arrays: seconds.</li>
 * </ul>
 *
 * @param mode              the mode's name, as results files record it
 * @param quickValidation   whether validation runs its quick case list
 * @param problems          the GEMM problems
 * @param allThreadCounts   whether each point runs with one thread as well as with all processors
 * @param timer             warm-up and measured runs per point
 * @param bandwidthBytes    the bandwidth arrays' size, 0 for the size the machine calls for
 */
record ReportPlan(String mode, boolean quickValidation, List<GemmProblem> problems, boolean allThreadCounts, GemmTimer timer,
                  long bandwidthBytes) {
    static final String TINY = "k4j.report.tiny";
    static final int BANDWIDTH_REPETITIONS = 5;

    static ReportPlan forMode(boolean quick, boolean full) {
        if (Boolean.getBoolean(TINY)) {
            return new ReportPlan("tiny", true, List.of(new GemmProblem("tiny_16", GemmShape.square(16), false, false),
                    new GemmProblem("tiny_24x8x32", new GemmShape(24, 8, 32), false, true)), false,
                    new GemmTimer(1, Duration.ZERO, Duration.ZERO, 3), 4L << 20);
        }
        if (quick) {
            return new ReportPlan("quick", true, GemmShapeSet.named("square_256", "square_512", "llm_decode_m8"), false,
                    timer(3, 3, Duration.ofSeconds(10)), 0);
        }
        if (full) {
            return new ReportPlan("full", false, GemmShapeSet.standard(), true, timer(5, 5, Duration.ofSeconds(10)), 0);
        }
        return new ReportPlan("default", false, GemmShapeSet.named("square_256", "square_512", "square_1024", "llm_decode_m1",
                "llm_decode_m8", "llm_prefill_m32"), true, timer(5, 5, Duration.ofSeconds(10)), 0);
    }

    private static GemmTimer timer(int warmupCalls, int runs, Duration measuringBudget) {
        return new GemmTimer(warmupCalls, BenchGemmCommand.MIN_WARMUP, BenchGemmCommand.MAX_WARMUP, runs, measuringBudget);
    }

    List<Integer> threads(int processors) {
        return allThreadCounts && processors > 1 ? List.of(1, processors) : List.of(processors);
    }
}
