package org.kernels4j.gpu.cuda;

import java.util.Objects;

/**
 * One image of a CUDA fatbin: machine code (SASS, an ELF cubin) for one architecture, or PTX that the
 * driver compiles for the device at load time.
 *
 * @param kind         SASS or PTX
 * @param arch         the architecture as major·10 + minor (80, 89, 90, 100, ...)
 * @param archSpecific true for the "a" variants (sm_90a): code that runs only on exactly that architecture
 * @param compressed   true when the payload is compressed (nvcc's default; kernels4j builds without)
 * @param offset       where the payload starts in the fatbin, in bytes
 * @param size         the payload's size in bytes
 */
public record FatbinImage(Kind kind, int arch, boolean archSpecific, boolean compressed, int offset, int size) {
    public enum Kind { SASS, PTX }

    public FatbinImage {
        Objects.requireNonNull(kind, "kind");
        if (arch < 10) {
            throw new IllegalArgumentException("arch: " + arch + " is not major*10+minor");
        }
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException("offset, size: " + offset + ", " + size + " must not be negative");
        }
    }

    /** The name nvcc and cuobjdump use: sm_80, sm_90a for SASS; compute_90 for PTX. */
    public String targetName() {
        return (kind == Kind.SASS ? "sm_" : "compute_") + arch + (archSpecific ? "a" : "");
    }

    /**
     * Whether a device of compute capability {@code major.minor} can run this image, by CUDA's rules:
     * SASS runs on the same major version with an equal or higher minor version, PTX on any equal or
     * newer architecture, and an arch-specific image only on exactly its architecture.
     */
    public boolean runsOn(int major, int minor) {
        if (major < 1 || minor < 0 || minor > 9) {
            throw new IllegalArgumentException("compute capability: " + major + "." + minor + " is not a valid version");
        }
        int device = major * 10 + minor;
        if (archSpecific) {
            return arch == device;
        }
        return kind == Kind.SASS ? arch / 10 == major && arch % 10 <= minor : arch <= device;
    }
}
