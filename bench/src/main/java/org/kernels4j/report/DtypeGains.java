package org.kernels4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How much faster each dtype runs than FP32: per backend, the geometric mean over the shapes (and thread
 * counts) that both the dtype and FP32 ran of rate(dtype) / rate(FP32). Used by the report's speed-up plot
 * and by {@code k4j compare}.
 */
public final class DtypeGains {
    public static final String BASELINE = "fp32";

    private DtypeGains() {
    }

    /** backend → dtype → gain over FP32, for the successful rows given; backends without FP32 rows are left out. */
    public static Map<String, Map<String, Double>> of(List<Measurement> rows) {
        Objects.requireNonNull(rows, "rows");
        Map<List<Object>, Double> fp32 = new LinkedHashMap<>();
        rows.stream().filter(m -> m.ok() && m.dtype().equals(BASELINE))
                .forEach(m -> fp32.put(List.of(m.op(), m.backend(), m.source(), m.shape().label(), m.threads()), m.median()));
        Map<String, Map<String, List<Double>>> ratios = new LinkedHashMap<>();
        for (Measurement m : rows) {
            Double base = fp32.get(List.of(m.op(), m.backend(), m.source(), m.shape().label(), m.threads()));
            if (m.ok() && !m.dtype().equals(BASELINE) && base != null) {
                ratios.computeIfAbsent(m.backend(), k -> new LinkedHashMap<>()).computeIfAbsent(m.dtype(), k -> new ArrayList<>())
                        .add(m.median() / base);
            }
        }
        Map<String, Map<String, Double>> gains = new LinkedHashMap<>();
        ratios.forEach((backend, byDtype) -> byDtype.forEach((dtype, values) -> gains
                .computeIfAbsent(backend, k -> new LinkedHashMap<>()).put(dtype, geometricMean(values))));
        return gains;
    }

    static double geometricMean(List<Double> values) {
        return Math.exp(values.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }
}
