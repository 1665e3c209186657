package org.kernels4j.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How numbers read in tables and plots: three significant digits, binary byte units, ratios with "×". */
public final class Units {
    private static final double SMALLEST_PLAIN = 1e-3;

    private Units() {
    }

    /**
     * Three significant digits: whole numbers from 100 up, plain decimals down to 0.001, and below that an exponent
     * ("1.98e-7": the rate of an 8-byte all-reduce in GB/s would otherwise be a row of zeros); "-" when not finite.
     */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        if (value == 0 || Math.abs(value) >= SMALLEST_PLAIN) {
            return rounded.toPlainString();
        }
        int exponent = rounded.precision() - rounded.scale() - 1;
        return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /** "1.23×"; "-" when not finite. */
    public static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f×", value) : "-";
    }

    /** "42%" or "4.2%"; "-" when not finite. */
    public static String percent(double value) {
        return Double.isFinite(value) ? number(value) + "%" : "-";
    }

    /** "32 KiB", "1.5 MiB", "24 GiB". */
    public static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return number(value) + " " + units[unit];
    }
}
