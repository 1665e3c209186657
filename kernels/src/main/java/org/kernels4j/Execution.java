package org.kernels4j;

/**
 * What actually ran a call made through {@link Kernels}: dispatch never falls back silently.
 *
 * @param backend backend name
 * @param device  device name
 */
public record Execution(String backend, String device) {
}
