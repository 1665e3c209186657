package org.kernels4j.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The problem size of one measurement, in the op's own terms: GEMM {m, n, k, transA, transB}; a
 * convolution or a collective names its own parameters. Readers match rows by {@link #label()}.
 *
 * @param name       the shape's name in its shape set ("square_512", "llm_decode_m8"), "" when it has none
 * @param label      how tables show it ("512×512×512", "8×4096×4096 NT"); unique per op
 * @param parameters the numbers (whole numbers as longs, others as doubles), flags and names that define it
 */
public record Shape(String name, String label, Map<String, Object> parameters) {
    public Shape {
        name = name == null ? "" : name;
        Fields.text("label", label);
        parameters = normalised(parameters == null ? Map.of() : parameters);
    }

    /** Keeps the order and makes numbers read back equal to what was written (JSON does not say int or long). */
    private static Map<String, Object> normalised(Map<String, Object> parameters) {
        Map<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((key, value) -> copy.put(key, switch (value) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Long l -> l;
            case Float f -> f.doubleValue();
            case Double d -> d;
            case Boolean b -> b;
            case String s -> s;
            case null, default -> throw new IllegalArgumentException("parameters: '" + key + "' = " + value
                    + " is not a number, a boolean or a string");
        }));
        return Collections.unmodifiableMap(copy);
    }
}
