package org.kernels4j.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several results files side by side (machines, or software versions on one machine). Rows are matched by op,
 * dtypes, shape, backend and thread count, where a run on all of a machine's processors matches a run on all of
 * another's ("all"), so that a 2-core laptop and a 64-core server line up. Only successful measurements count.
 *
 * @param inputs the results, the first being the baseline of every speed-up
 * @param rows   one per matched key, ordered by op, dtype, work per call, backend
 * @param gains  each input's gain of every dtype over FP32 per backend (all processors)
 */
public record Comparison(List<Input> inputs, List<Row> rows, List<Gain> gains) {
    public static final String ALL_THREADS = "all";
    private static final String RANKS = "ranks";

    public Comparison {
        inputs = List.copyOf(inputs);
        rows = List.copyOf(rows);
        gains = List.copyOf(gains);
    }

    /**
     * One results file.
     *
     * @param label   short name in tables ("A", "B", ...)
     * @param file    where it was read from
     * @param results its content
     */
    public record Input(String label, String file, Results results) {
        public Input {
            Fields.text("label", label);
            Fields.text("file", file);
            Fields.required("results", results);
        }
    }

    /**
     * One matched measurement.
     *
     * @param rates the median rate in each input, in input order; null where that input lacks it
     */
    public record Row(String op, String dtypes, String dtype, String shape, String backend, String threads, String unit,
                      double workPerCall, List<Double> rates) {
        public Row {
            rates = Collections.unmodifiableList(new ArrayList<>(rates));
        }

        /** rate in input {@code index} / rate in the first input; NaN when either is missing. */
        public double speedUp(int index) {
            Double base = rates.getFirst();
            Double rate = rates.get(index);
            return base == null || rate == null ? Double.NaN : rate / base;
        }
    }

    /**
     * A dtype's gain over FP32 on one input.
     *
     * @param input   the input's label
     * @param backend the backend
     * @param dtype   the dtype
     * @param gain    geometric mean over shapes of rate(dtype) / rate(FP32)
     */
    public record Gain(String input, String backend, String dtype, double gain) {
    }

    public static Comparison of(List<Input> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("inputs: " + inputs.size() + " results; a comparison needs at least 2");
        }
        Map<List<String>, Double[]> rates = new LinkedHashMap<>();
        Map<List<String>, Measurement> examples = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Results results = inputs.get(i).results();
            for (Measurement m : results.measurements()) {
                if (!m.ok()) {
                    continue;
                }
                List<String> key = List.of(m.op(), m.dtype() + "→" + m.outputDtype(), m.shape().label(),
                        m.backend() + (m.source().equals(Measurement.SOURCE_K4J) ? "" : " (" + m.source() + ")"), threads(m, results));
                rates.computeIfAbsent(key, k -> new Double[inputs.size()])[i] = m.median();
                examples.putIfAbsent(key, m);
            }
        }
        List<Row> rows = new ArrayList<>();
        rates.forEach((key, values) -> {
            Measurement example = examples.get(key);
            rows.add(new Row(key.get(0), key.get(1), example.dtype(), key.get(2), key.get(3), key.get(4), example.unit(),
                    example.workPerCall(), Arrays.asList(values)));
        });
        rows.sort(Comparator.comparing(Row::op).thenComparing(r -> dtypeOrder(r.dtype())).thenComparing(Row::dtypes)
                .thenComparingDouble(Row::workPerCall).thenComparing(Row::shape).thenComparing(Row::backend)
                .thenComparing(Row::threads));
        List<Gain> gains = new ArrayList<>();
        for (Input input : inputs) {
            int processors = input.results().machine().cpu().logicalProcessors();
            List<Measurement> allProcessors = input.results().measurements().stream()
                    .filter(m -> threads(m, input.results()).equals(ALL_THREADS) || processors == 1).toList();
            DtypeGains.of(allProcessors).forEach((backend, byDtype) -> byDtype.forEach((dtype, gain) ->
                    gains.add(new Gain(input.label(), backend, dtype, gain))));
        }
        return new Comparison(inputs, rows, gains);
    }

    /**
     * "1", "all" (every processor of that machine) or the count; a collective's ranks (one thread each) are a count on
     * every machine, so that 2 ranks on a 2-core laptop match 2 ranks on a server.
     */
    static String threads(Measurement m, Results results) {
        if (m.threads() == results.machine().cpu().logicalProcessors() && !m.shape().parameters().containsKey(RANKS)) {
            return ALL_THREADS;
        }
        return Integer.toString(m.threads());
    }

    private static int dtypeOrder(String dtype) {
        int index = List.of("fp32", "fp16", "bf16", "int8").indexOf(dtype);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
