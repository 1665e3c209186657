package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiTesting;

/** The JVM options of the ranks k4j starts under mpirun: kernels4j's own, then K4J_JAVA_OPTS's. */
class MpiRanksTest {
    private static final String MAIN = MpiRankMain.class.getName();

    /** The JVM options in a rank's command line: what lies between the java binary and -cp. */
    private static List<String> jvmOptions(String javaOptions) {
        List<String> command = MpiRanks.launcher(2, javaOptions).command(MAIN, List.of("bench"));
        int java = command.indexOf(System.getProperty("java.home") + "/bin/java");
        return command.subList(java + 1, command.indexOf("-cp"));
    }

    @Test
    void ranksGetK4jJavaOptsAfterKernels4jsOwnOptions() {
        MpiTesting.assumeMpi();
        List<String> expected = new ArrayList<>(MpiLauncher.DEFAULT_JVM_OPTIONS);
        expected.addAll(List.of("-Xmx3g", "-Dk4j.test=1", "-XX:+UseSerialGC"));
        assertEquals(expected, jvmOptions("  -Xmx3g\t-Dk4j.test=1   -XX:+UseSerialGC "));
    }

    @Test
    void withoutK4jJavaOptsRanksGetKernels4jsOwnOptionsOnly() {
        MpiTesting.assumeMpi();
        assertEquals(MpiLauncher.DEFAULT_JVM_OPTIONS, jvmOptions(null));
        assertEquals(MpiLauncher.DEFAULT_JVM_OPTIONS, jvmOptions(" "));
    }
}
