package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;

class OptionParserTest {
    private final OptionParser parser = new OptionParser("demo")
            .value("size", "N", "a size")
            .value("list", "LIST", "a list")
            .value("x", "X", "a number")
            .value("dtype", "D", "a dtype")
            .value("path", "FILE", "a path")
            .flag("quick", "a flag")
            .positionals(1, "WHAT");

    private Options parse(String... args) {
        return parser.parse(List.of(args));
    }

    private String refusal(String... args) {
        return assertThrows(BadInputException.class, () -> parse(args)).getMessage();
    }

    @Test
    void parsesValuesFlagsEqualsFormAndPositionals() {
        Options options = parse("thing", "--size", "12", "--quick", "--x=-0.5", "--dtype", "BF16");
        assertEquals(List.of("thing"), options.positionals());
        assertEquals(12, options.intValue("size", 1, 1));
        assertTrue(options.has("quick"));
        assertEquals(-0.5f, options.floatValue("x", 0));
        assertEquals(DType.BF16, options.dtype("dtype", DType.FP32));
        assertFalse(options.has("path"));
        assertNull(options.optionalPath("path"));
        assertEquals(7, options.intValue("missing-is-fallback", 7, 1));
    }

    @Test
    void negativeNumbersAreValuesNotOptions() {
        assertEquals(-3f, parse("--x", "-3").floatValue("x", 0));
    }

    @Test
    void listsAreCommaSeparated() {
        Options options = parse("--list", "1, 2,3", "--dtype", "fp16");
        assertEquals(List.of(1, 2, 3), options.intList("list", List.of(), 1));
        assertEquals(List.of(DType.FP16), options.dtypes("dtype", List.of()));
        assertEquals(List.of(9), parse().intList("list", List.of(9), 1));
        assertEquals("--list: '1,,2' has an empty item", assertThrows(BadInputException.class,
                () -> parse("--list", "1,,2").intList("list", List.of(), 1)).getMessage());
        assertEquals("--list: 0 is less than 1", assertThrows(BadInputException.class,
                () -> parse("--list", "4,0").intList("list", List.of(), 1)).getMessage());
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertEquals("demo: unknown option '--sise' (known: --help, --size, --list, --x, --dtype, --path, --quick)", refusal("--sise", "3"));
        assertEquals("demo: option --size needs a value (N)", refusal("--size"));
        assertEquals("demo: option --size needs a value (N)", refusal("--size", "--quick"));
        assertEquals("demo: option --quick takes no value (got '1')", refusal("--quick=1"));
        assertEquals("demo: option --size is given twice", refusal("--size", "1", "--size", "2"));
        assertEquals("demo: unexpected argument 'two' (at most 1: WHAT)", refusal("one", "two"));
    }

    @Test
    void typedGettersNameTheOptionAndTheValue() {
        assertEquals("--size: 'ten' is not a whole number", assertThrows(BadInputException.class,
                () -> parse("--size", "ten").intValue("size", 1, 1)).getMessage());
        assertEquals("--size: 0 is less than 1", assertThrows(BadInputException.class,
                () -> parse("--size", "0").intValue("size", 1, 1)).getMessage());
        assertEquals("--x: 'Infinity' is not a finite number", assertThrows(BadInputException.class,
                () -> parse("--x", "Infinity").floatValue("x", 1)).getMessage());
        assertEquals("--dtype: 'fp64' is not a dtype (fp32, fp16, bf16, int8 or int32)", assertThrows(BadInputException.class,
                () -> parse("--dtype", "fp64").dtype("dtype", null)).getMessage());
        assertEquals("demo: option --path is required", assertThrows(BadInputException.class,
                () -> parse().requiredPath("path")).getMessage());
        assertEquals("--path: the path is empty", assertThrows(BadInputException.class,
                () -> parse("--path=").requiredPath("path")).getMessage());
        assertEquals(Path.of("a/b.npy"), parse("--path", "a/b.npy").requiredPath("path"));
    }

    @Test
    void usageListsEveryOption() {
        String usage = parser.usage();
        assertTrue(usage.startsWith("usage: k4j demo [options] WHAT\n"), usage);
        assertTrue(usage.contains("  --size N     a size\n"), usage);
        assertTrue(usage.contains("  --quick      a flag\n"), usage);
        assertTrue(usage.contains("  --help       print this help\n"), usage);
    }

    @Test
    void declarationsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new OptionParser("x").flag("help", "again"));
        assertThrows(IllegalArgumentException.class, () -> new OptionParser("x").flag("--dash", "no dashes"));
        assertThrows(IllegalArgumentException.class, () -> new OptionParser("x").positionals(-1, ""));
    }
}
