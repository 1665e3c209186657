package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kernels4j.report.Units;

/** The plain-text table and the number formats that results go through. */
class FormattingTest {
    @Test
    void tableAlignsTextLeftAndNumbersRight() {
        String text = new TextTable("name", "value").numeric(1).row("a", "1.5").row("longer", "12.25").render();
        assertEquals("""
                name    value
                ------  -----
                a         1.5
                longer  12.25
                """, text);
    }

    @Test
    void tableRowsMustMatchTheColumns() {
        TextTable table = new TextTable("a", "b");
        assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertThrows(IllegalArgumentException.class, () -> table.numeric(2));
        assertThrows(IllegalArgumentException.class, TextTable::new);
    }

    @Test
    void unitsKeepThreeSignificantDigitsAndNameBinaryBytes() {
        assertEquals("0.0293", Units.number(0.029345));
        assertEquals("36.9", Units.number(36.94));
        assertEquals("1235", Units.number(1234.6));
        assertEquals("-", Units.number(Double.NaN));
        assertEquals("0.001", Units.number(0.001));
        assertEquals("1.98e-7", Units.number(0.000000198));
        assertEquals("-2e-4", Units.number(-0.0002));
        assertEquals("0", Units.number(0));
        assertEquals("0.95×", Units.ratio(0.951));
        assertEquals("4.2%", Units.percent(4.2));
        assertEquals("32 KiB", Units.bytes(32 * 1024));
        assertEquals("1.5 GiB", Units.bytes(3L << 29));
    }
}
