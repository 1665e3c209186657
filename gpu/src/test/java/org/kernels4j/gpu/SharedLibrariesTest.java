package org.kernels4j.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Availability;

class SharedLibrariesTest {
    @Test
    void findsTheCLibrary() {
        assertTrue(SharedLibraries.probe("libc.so.6", "no C library").available());
    }

    @Test
    void namesAMissingLibraryAndWhatItMeans() {
        assertEquals(Availability.no("no libk4j-absent.so.9 found (test library not installed)"),
                SharedLibraries.probe("libk4j-absent.so.9", "test library not installed"));
    }

    @Test
    void validatesItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> SharedLibraries.probe(" ", "hint"));
        assertThrows(NullPointerException.class, () -> SharedLibraries.probe(null, "hint"));
        assertThrows(NullPointerException.class, () -> SharedLibraries.probe("libc.so.6", null));
    }
}
