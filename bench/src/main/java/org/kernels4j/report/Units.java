package org.kernels4j.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How numbers read in tables and plots: three significant digits, binary byte units, ratios with "×". */
public final class Units {
    private Units() {
    }

    /** Three significant digits, without an exponent for the values rates reach (0.001 to 10^5); "-" when not finite. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
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
