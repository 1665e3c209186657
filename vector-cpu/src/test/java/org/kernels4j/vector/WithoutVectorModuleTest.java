package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library must work on a JVM started without {@code --add-modules jdk.incubator.vector}: this backend is
 * then listed as unavailable with the reason, warns once, and dispatch goes to the reference backend. A child
 * JVM (same java, same class path, no module flag) runs {@link WithoutVectorModuleProbe}.
 */
class WithoutVectorModuleTest {
    @Test
    void reportsTheMissingModuleAndLeavesDispatchToTheReference(@TempDir Path dir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        // Options from the environment could add the module back behind our back.
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish in 60 s");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "probe failed:\n" + out + err);

        assertTrue(out.contains("device|vector-cpu|false|" + VectorCpuBackendProvider.MODULE_NOT_READABLE + "\n"), out);
        assertTrue(out.contains("device|reference|true|"), out);
        assertTrue(out.contains("ran|reference|[19.0, 22.0, 43.0, 50.0]"), out);
        assertEquals(1, occurrences(err, VectorCpuBackendProvider.MODULE_NOT_READABLE), () -> "warned other than once:\n" + err);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
