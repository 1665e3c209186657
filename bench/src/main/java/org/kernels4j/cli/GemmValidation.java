package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.spi.Backend;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;

/** {@link Validation} of GEMM: {@link GemmCheck} on {@link GemmValidationCases}. */
final class GemmValidation implements Validation.Checker<GemmCase> {
    private static final GemmValidation CHECKER = new GemmValidation();

    private GemmValidation() {
    }

    static List<Validation.Row> run(List<Backend> backends, List<DType> dtypes, boolean quick, Terminal terminal) {
        List<GemmCase> cases = new ArrayList<>();
        for (DType dtype : dtypes) {
            cases.addAll(GemmValidationCases.forDtype(dtype, quick));
        }
        return Validation.run(backends, cases, CHECKER, terminal);
    }

    @Override
    public String op() {
        return Operation.GEMM;
    }

    @Override
    public Availability supports(Backend backend, GemmCase testCase) {
        return backend.supports(testCase.spec());
    }

    @Override
    public CheckResult<GemmCase> check(Backend backend, GemmCase testCase) {
        return GemmCheck.check(backend, testCase);
    }

    @Override
    public CheckResult<GemmCase> crossCheck(Backend first, Backend second, GemmCase testCase) {
        return GemmCheck.crossCheck(first, second, testCase);
    }
}
