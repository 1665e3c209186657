package org.kernels4j.cli;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.kernels4j.Layout;
import org.kernels4j.bench.AllReduceSizeSet;
import org.kernels4j.bench.ConvLayer;
import org.kernels4j.bench.ConvLayerSet;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.GemmShapeSet;
import org.kernels4j.bench.GemmTimer;

/**
 * How much {@code k4j report} measures in each mode.
 * <ul>
 *   <li>quick (about a minute of CPU time on 2 cores; several minutes on a busy machine): the quick validation; GEMM
 *       256³, 512³ and the LLM decode shape 8×4096×4096 with all processors; conv2d on three ResNet-50 layers (a 3×3
 *       at 56², a 1×1, a 3×3 at 14²) at batch 1; all-reduce at 8 B, 1, 16 and 64 MiB (10 timed calls); 3 runs per point;</li>
 *   <li>default: the full validation; GEMM 256³, 512³, 1024³ and the LLM decode/prefill shapes (m = 1, 8, 32), with one
 *       thread and with all processors; conv2d on six layers, one per stage; all-reduce at 8 B, 64 KiB, the DeepBench
 *       400000 B, 1, 16 and 64 MiB; 5 runs per point (20 timed calls per all-reduce point);</li>
 *   <li>full: the full validation and every shape of the standard sets: GEMM (square up to 4096³, LLM projections,
 *       DeepBench) at its listed size with all processors (not with one thread as well: that doubled a run that already
 *       takes long on a small machine), every ResNet-50 layer at batch 1, and every all-reduce size (8 B to 256 MiB by ×2,
 *       and DeepBench's) with 10 timed calls after 3 warm-up calls (nccl-tests' 20 and 5 made the 256 MiB points of the
 *       MPI job alone take many minutes on 2 cores); a GEMM point stops after 10 s of measured calls;</li>
 *   <li>tiny (the system property {@value #TINY}, for tests only): the quick validation, two tiny GEMM shapes, one small
 *       convolution, all-reduce at 8 B and 64 KiB over the local transport only, no warm-up, small bandwidth arrays:
 *       seconds.</li>
 * </ul>
 * Convolutions run in NHWC with all processors; all-reduces sum over 2 ranks in FP32, FP16, BF16 and INT32. In every mode
 * a backend skips the GEMM points whose call would take more than {@value #GEMM_CALL_LIMIT_SECONDS} s.
 *
 * @param mode              the mode's name, as results files record it
 * @param quickValidation   whether validation runs its quick case list
 * @param problems          the GEMM problems
 * @param allThreadCounts   whether each point runs with one thread as well as with all processors
 * @param timer             warm-up and measured runs per point
 * @param bandwidthBytes    the bandwidth arrays' size, 0 for the size the machine calls for
 * @param conv              the convolutions
 * @param allReduce         the all-reduces
 */
record ReportPlan(String mode, boolean quickValidation, List<GemmProblem> problems, boolean allThreadCounts, GemmTimer timer,
                  long bandwidthBytes, ReportConv2d.Plan conv, ReportAllReduce.Plan allReduce) {
    static final String TINY = "k4j.report.tiny";
    static final int BANDWIDTH_REPETITIONS = 5;
    /**
     * A GEMM point whose call would take longer than this on a backend, going by the rate it reached on an earlier shape,
     * is skipped for that backend (and the row says so): on a small CPU, OpenCL through PoCL would otherwise spend minutes
     * per call on the largest shapes.
     */
    static final double GEMM_CALL_LIMIT_SECONDS = 10;
    /** A 3×3 convolution small enough for the tests: 8 → 8 channels at 10×10. */
    private static final ConvLayer TINY_LAYER = new ConvLayer("tiny_3x3", 8, 10, 10, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, OptionalInt.empty());

    static ReportPlan forMode(boolean quick, boolean full) {
        if (Boolean.getBoolean(TINY)) {
            GemmTimer timer = new GemmTimer(1, Duration.ZERO, Duration.ZERO, 3);
            return new ReportPlan("tiny", true, List.of(new GemmProblem("tiny_16", GemmShape.square(16), false, false),
                    new GemmProblem("tiny_24x8x32", new GemmShape(24, 8, 32), false, true)), false, timer, 4L << 20,
                    new ReportConv2d.Plan(List.of(TINY_LAYER), 1, Layout.NHWC, timer),
                    new ReportAllReduce.Plan(AllReduceSizeSet.withBytes(8, 64 << 10), 2, 1, false));
        }
        if (quick) {
            GemmTimer timer = timer(3, 3, Duration.ofSeconds(10));
            return new ReportPlan("quick", true, GemmShapeSet.named("square_256", "square_512", "llm_decode_m8"), false, timer, 0,
                    new ReportConv2d.Plan(resnet50("res2_branch2b", "res3_branch2a", "res4_branch2b"), 1, Layout.NHWC, timer),
                    new ReportAllReduce.Plan(AllReduceSizeSet.withBytes(8, 1 << 20, 16 << 20, 64 << 20), 10, 3, true));
        }
        GemmTimer timer = timer(5, 5, Duration.ofSeconds(10));
        if (full) {
            return new ReportPlan("full", false, GemmShapeSet.standard(), false, timer, 0,
                    new ReportConv2d.Plan(ConvLayerSet.resnet50(), 1, Layout.NHWC, timer),
                    new ReportAllReduce.Plan(AllReduceSizeSet.standard(), 10, 3, true));
        }
        return new ReportPlan("default", false, GemmShapeSet.named("square_256", "square_512", "square_1024", "llm_decode_m1",
                "llm_decode_m8", "llm_prefill_m32"), true, timer, 0,
                new ReportConv2d.Plan(resnet50("conv1", "res2_branch2b", "res3_branch2a", "res3_branch2b",
                        "res4_branch2b", "res5_branch2b"), 1, Layout.NHWC, timer),
                new ReportAllReduce.Plan(AllReduceSizeSet.withBytes(8, 64 << 10, 400_000, 1 << 20, 16 << 20, 64 << 20), 20, 5, true));
    }

    /** The ResNet-50 layers with these names. */
    private static List<ConvLayer> resnet50(String... names) {
        return ConvLayerSet.named(ConvLayerSet.resnet50(), names);
    }

    private static GemmTimer timer(int warmupCalls, int runs, Duration measuringBudget) {
        return new GemmTimer(warmupCalls, BenchRunOptions.MIN_WARMUP, BenchRunOptions.MAX_WARMUP, runs, measuringBudget);
    }

    List<Integer> threads(int processors) {
        return allThreadCounts && processors > 1 ? List.of(1, processors) : List.of(processors);
    }
}
