package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.spi.Backend;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Conv2dCheck;

/** {@link Validation} of convolutions: {@link Conv2dCheck} on {@link Conv2dValidationCases}. */
final class Conv2dValidation implements Validation.Checker<Conv2dCase> {
    private static final Conv2dValidation CHECKER = new Conv2dValidation();

    private Conv2dValidation() {
    }

    static List<Validation.Row> run(List<Backend> backends, List<DType> dtypes, boolean quick, Terminal terminal) {
        return Validation.run(backends, cases(dtypes, quick), CHECKER, terminal);
    }

    static List<Conv2dCase> cases(List<DType> dtypes, boolean quick) {
        List<Conv2dCase> cases = new ArrayList<>();
        for (DType dtype : dtypes) {
            cases.addAll(Conv2dValidationCases.forDtype(dtype, quick));
        }
        return cases;
    }

    /** Whether {@code backend} runs at least one of {@code cases}: backends without convolutions are not checked. */
    static boolean hasConvolutions(Backend backend, List<Conv2dCase> cases) {
        return cases.stream().anyMatch(c -> backend.supports(c.spec()).available());
    }

    @Override
    public String op() {
        return Operation.CONV2D;
    }

    @Override
    public Availability supports(Backend backend, Conv2dCase testCase) {
        return backend.supports(testCase.spec());
    }

    @Override
    public CheckResult<Conv2dCase> check(Backend backend, Conv2dCase testCase) {
        return Conv2dCheck.check(backend, testCase);
    }

    @Override
    public CheckResult<Conv2dCase> crossCheck(Backend first, Backend second, Conv2dCase testCase) {
        return Conv2dCheck.crossCheck(first, second, testCase);
    }
}
