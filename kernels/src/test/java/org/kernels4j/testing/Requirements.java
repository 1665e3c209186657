package org.kernels4j.testing;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.kernels4j.Availability;

/**
 * Skip-or-fail for tests that need a component (a backend, a native library, a platform): a missing
 * component skips the test with its reason, unless the comma-separated environment variable
 * {@code K4J_REQUIRE} names it — then the test fails, so that CI cannot pass by skipping.
 */
public final class Requirements {
    public static final String VARIABLE = "K4J_REQUIRE";

    private Requirements() {
    }

    /** Components listed in {@code K4J_REQUIRE}. */
    public static Set<String> required() {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** Returns normally when available; otherwise skips the test, or fails it when {@code component} is required. */
    public static void assumeAvailable(String component, Availability availability) {
        if (availability.available()) {
            return;
        }
        String message = component + " unavailable: " + availability.reason();
        if (required().contains(component)) {
            Assertions.fail(message + " (required by " + VARIABLE + "=" + System.getenv(VARIABLE) + ")");
        }
        Assumptions.abort(message);
    }
}
