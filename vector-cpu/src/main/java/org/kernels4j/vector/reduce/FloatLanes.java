package org.kernels4j.vector.reduce;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.comm.ReduceOp;

/** The lane-wise combine shared by every floating dtype's vector loop. */
final class FloatLanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private FloatLanes() {
    }

    /** {@code a op b}; NaN lanes become the canonical quiet NaN, so that operand order never shows. */
    static FloatVector combine(ReduceOp op, FloatVector a, FloatVector b) {
        FloatVector combined = switch (op) {
            case SUM, AVG -> a.add(b);
            case PROD -> a.mul(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
        };
        return canonicalNaN(combined);
    }

    static FloatVector canonicalNaN(FloatVector values) {
        return values.blend(Float.NaN, values.test(VectorOperators.IS_NAN));
    }
}
