package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.testing.Requirements;

/** The fatbin of this build holds every kernel the Java side names, for every target architecture. */
class FatbinContentsTest {
    static final List<String> TARGETS = List.of("sm_80", "sm_89", "sm_90a", "compute_90");
    private static final Pattern PTX_ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");

    private static Fatbin fatbin;

    @BeforeAll
    static void loadFatbin() {
        fatbin = CudaFatbin.load().orElse(null);
        Requirements.assumeAvailable("nvcc", fatbin != null ? Availability.yes()
                : Availability.no("built without nvcc: " + CudaFatbin.RESOURCE + " is not on the class path"));
    }

    @Test
    void holdsSassForEachTargetArchitectureAndPtxForNewerOnes() {
        assertEquals(TARGETS, fatbin.targetNames());
        assertTrue(fatbin.images().stream().noneMatch(FatbinImage::compressed), "images are stored uncompressed");
    }

    @Test
    void everySassImageHasEveryKernel() {
        Set<String> expected = new TreeSet<>(CudaKernelNames.all());
        for (FatbinImage image : fatbin.images()) {
            if (image.kind() == FatbinImage.Kind.SASS) {
                Set<String> kernels = CubinSymbols.kernels(fatbin.payload(image));
                assertTrue(kernels.containsAll(expected), image.targetName() + " lacks kernels; has " + kernels);
            }
        }
    }

    @Test
    void ptxHasEveryKernelAndTargetsItsArchitecture() {
        for (FatbinImage image : fatbin.images()) {
            if (image.kind() == FatbinImage.Kind.PTX) {
                String ptx = new String(fatbin.payload(image), StandardCharsets.US_ASCII);
                Set<String> entries = new TreeSet<>();
                Matcher m = PTX_ENTRY.matcher(ptx);
                while (m.find()) {
                    entries.add(m.group(1));
                }
                assertTrue(entries.containsAll(CudaKernelNames.all()), image.targetName() + ": " + entries);
                assertTrue(ptx.contains(".target sm_" + image.arch()), image.targetName() + " PTX .target");
            }
        }
    }

    @Test
    void eachTensorCoreGemmAndConvolutionUsesMmaSyncLdmatrixAndCpAsyncAndTheFp32GemmLoadsVectors() {
        String ptx = ptx();
        for (CudaKernelNames.DTypePair pair : CudaKernelNames.PAIRS) {
            if (pair.input() == DType.FP32) {
                continue;
            }
            String mma = switch (pair.input()) {
                case FP16 -> "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32";
                case BF16 -> "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32";
                default -> "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32";
            };
            for (String kernel : List.of(CudaKernelNames.gemmTensorCores(pair.input(), pair.output()),
                    CudaKernelNames.convTensorCores(pair.input(), pair.output()))) {
                String body = entryBody(ptx, kernel);
                for (String instruction : List.of(mma, "ldmatrix.sync.aligned.m8n8.x4.shared.b16", "cp.async.cg.shared.global",
                        "cp.async.wait_group")) {
                    assertTrue(body.contains(instruction), kernel + " lacks " + instruction);
                }
            }
        }
        assertTrue(entryBody(ptx, CudaKernelNames.gemmSimt(DType.FP32, DType.FP32)).contains("ld.global.v4.f32"),
                "the FP32 SIMT GEMM has a 16-byte load path");
    }

    private static String ptx() {
        FatbinImage image = fatbin.images().stream().filter(i -> i.kind() == FatbinImage.Kind.PTX).findFirst().orElseThrow();
        return new String(fatbin.payload(image), StandardCharsets.US_ASCII);
    }

    /** The PTX of one kernel: from its .entry to the next one (or the end). */
    private static String entryBody(String ptx, String kernel) {
        Matcher start = Pattern.compile("\\.entry\\s+" + kernel + "\\s*\\(").matcher(ptx);
        assertTrue(start.find(), kernel + " is in the PTX");
        int end = ptx.indexOf(".entry", start.end());
        return ptx.substring(start.start(), end < 0 ? ptx.length() : end);
    }

    @Test
    void coversAmpereAdaHopperAndNewerThroughPtx() {
        assertTrue(fatbin.runsOn(8, 0), "A100");
        assertTrue(fatbin.runsOn(8, 6), "RTX 30xx via sm_80 SASS");
        assertTrue(fatbin.runsOn(8, 9), "Ada");
        assertTrue(fatbin.runsOn(9, 0), "H100");
        assertTrue(fatbin.runsOn(10, 0), "Blackwell via compute_90 PTX");
        assertFalse(fatbin.runsOn(7, 5), "Turing is older than every target");
    }
}
