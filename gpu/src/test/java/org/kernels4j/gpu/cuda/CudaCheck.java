package org.kernels4j.gpu.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the named test classes without Maven, for a machine with a GPU but no build tools (scripts/gpu-check.sh
 * carries a JDK and the class path there). Prints JUnit's summary and the failures; exits 1 on any failure or
 * when nothing ran.
 *
 * <p>Usage: {@code CudaCheck org.kernels4j.gpu.cuda.CudaGemmConformanceTest ...}.
 */
public final class CudaCheck {
    private CudaCheck() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("args: name the test classes to run");
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(args).map(name -> selectClass(name)).toList()).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 20);
        boolean failed = summary.getTotalFailureCount() > 0 || summary.getTestsSucceededCount() == 0;
        System.exit(failed ? 1 : 0);
    }
}
