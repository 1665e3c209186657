package org.kernels4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeLibraryCandidatesTest {
    // The C library is present wherever a JVM runs on Linux; the test names it by soname.
    private static final String LIBC = "libc.so.6";

    @Test
    void bindsTheFirstCandidateThatLoadsAndHasTheIdentifyingSymbols() {
        NativeLibraryCandidates.Found<String> found = NativeLibraryCandidates.firstThatBinds(
                List.of("libk4j-does-not-exist.so", LIBC), List.of("malloc"), "not a C library",
                (candidate, lookup) -> candidate + " has free: " + lookup.find("free").isPresent());
        assertEquals(Optional.of(LIBC + " has free: true"), found.library());
        assertEquals("", found.tried());
    }

    @Test
    void saysForEachCandidateWhyItWasPassedOver() {
        NativeLibraryCandidates.Found<String> found = NativeLibraryCandidates.firstThatBinds(
                List.of("libk4j-does-not-exist.so", LIBC, LIBC + " "), List.of("malloc", "k4j_no_such_symbol"),
                "not the meant library", (candidate, lookup) -> candidate);
        assertTrue(found.library().isEmpty());
        String[] reasons = found.tried().split("; ");
        assertEquals(3, reasons.length, found.tried());
        assertTrue(reasons[0].startsWith("libk4j-does-not-exist.so: "), reasons[0]);
        assertEquals(LIBC + ": not the meant library (no k4j_no_such_symbol)", reasons[1]);
    }

    @Test
    void aCandidateWhoseBindingFailsLeavesItsReasonAndTheNextIsTried() {
        NativeLibraryCandidates.Found<String> found = NativeLibraryCandidates.firstThatBinds(
                List.of(LIBC, "libk4j-does-not-exist.so"), List.of(), "unused",
                (candidate, lookup) -> {
                    throw new IllegalStateException("missing k4j_entry");
                });
        assertTrue(found.library().isEmpty());
        assertTrue(found.tried().startsWith(LIBC + ": missing k4j_entry; libk4j-does-not-exist.so: "), found.tried());

        NativeLibraryCandidates.Found<String> crashed = NativeLibraryCandidates.firstThatBinds(List.of(LIBC), List.of(),
                "unused", (candidate, lookup) -> {
                    throw new UnsupportedOperationException("no downcall");
                });
        assertEquals(LIBC + ": binding failed: java.lang.UnsupportedOperationException: no downcall", crashed.tried());
    }

    @Test
    void defaultsComeInOrderWithoutRepeatsWhenTheVariableIsUnset() {
        assertEquals(List.of("a.so", "b.so"),
                NativeLibraryCandidates.withOverride("K4J_TEST_VARIABLE_THAT_IS_NEVER_SET", List.of("a.so", "b.so", "a.so")));
    }

    @Test
    void refusesNullArguments() {
        assertThrows(NullPointerException.class, () -> NativeLibraryCandidates.withOverride(null, List.of()));
        assertThrows(NullPointerException.class,
                () -> NativeLibraryCandidates.firstThatBinds(List.of(), List.of(), "x", null));
    }
}
