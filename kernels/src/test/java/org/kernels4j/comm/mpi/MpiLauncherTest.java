package org.kernels4j.comm.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.testing.Requirements;

/** The mpirun command line and environment, without running a job. */
class MpiLauncherTest {

    @Test
    @Timeout(10)
    void commandRunsTheMainClassOnEveryRankWithTheJvmOptionsKernels4jNeeds() {
        Requirements.assumeAvailable(MpiTesting.COMPONENT, MpiLauncher.availability());
        List<String> command = MpiLauncher.forRanks(3).withJava(Path.of("/jdk/bin/java")).withClassPath("a.jar:b")
                .withMpirunOptions(List.of("--tag-output")).command("org.example.Main", List.of("x", "--y"));
        assertTrue(command.get(0).endsWith("mpirun"), command.toString());
        assertEquals(List.of("-np", "3", "--oversubscribe"), command.subList(1, 4));
        int java = command.indexOf("/jdk/bin/java");
        assertTrue(java > command.indexOf("--tag-output"), "mpirun options come before the program: " + command);
        assertEquals(List.of("/jdk/bin/java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", "a.jar:b", "org.example.Main", "x", "--y"), command.subList(java, command.size()));
    }

    @Test
    @Timeout(10)
    void anExplicitSingleCopyChoiceIsLeftAlone() {
        Requirements.assumeAvailable(MpiTesting.COMPONENT, MpiLauncher.availability());
        List<String> command = MpiLauncher.forRanks(2)
                .withMpirunOptions(List.of("--mca", MpiLauncher.SINGLE_COPY_PARAMETER, "cma")).command("M", List.of());
        assertEquals(1, command.stream().filter(MpiLauncher.SINGLE_COPY_PARAMETER::equals).count(), command.toString());
    }

    @Test
    @Timeout(10)
    void environmentAllowsRoot() {
        assertEquals("1", MpiLauncher.forRanks(1).environment().get("OMPI_ALLOW_RUN_AS_ROOT"));
        assertEquals("1", MpiLauncher.forRanks(1).environment().get("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"));
    }

    @Test
    @Timeout(10)
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MpiLauncher.forRanks(0)).getMessage().startsWith("ranks: 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MpiLauncher.forRanks(2).command(" ", List.of()))
                .getMessage().startsWith("mainClass"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> MpiLauncher.forRanks(2).withJvmOptions(java.util.Arrays.asList("-Xmx1g", null))).getMessage()
                .startsWith("jvmOptions[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MpiLauncher.forRanks(2).withClassPath(""))
                .getMessage().startsWith("classPath"));
    }
}
