package org.kernels4j.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look every report plot shares (XChart, rendered headless to PNG): white background, a light grid, the
 * legend below the plot, one colour per dtype and one marker per backend, so that the same thing has the same
 * look in every plot.
 */
final class Charts {
    static final int WIDTH = 1000;
    static final int HEIGHT = 480;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final List<String> DTYPES = List.of("fp32", "fp16", "bf16", "int8");
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
    static final Color PEER = new Color(0x555555);

    static {
        // No display is needed or wanted: plots are drawn into images, also on servers without X.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart, chart.getStyler());
        chart.getStyler().setAvailableSpaceFill(0.8).setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(15);
        return chart;
    }

    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart, chart.getStyler());
        return chart;
    }

    private static void style(Chart<?, ?> chart, AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setPlotBorderVisible(false)
                .setLegendPosition(Styler.LegendPosition.OutsideE)
                .setLegendBorderColor(Color.WHITE).setChartTitleBoxVisible(false).setSeriesColors(PALETTE)
                .setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15))
                .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setAntiAlias(true);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setPlotGridLinesColor(new Color(0xe0e0e0));
        styler.setAxisTicksMarksVisible(false);
    }

    /** The colour of a dtype (fp32 blue, fp16 orange, bf16 green, int8 red), or of the n-th other series. */
    static Color dtypeColor(String dtype) {
        int index = DTYPES.indexOf(dtype);
        return PALETTE[index >= 0 ? index : DTYPES.size() + Math.floorMod(dtype.hashCode(), PALETTE.length - DTYPES.size())];
    }

    static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    static Marker marker(int index) {
        return MARKERS[Math.floorMod(index, MARKERS.length)];
    }

    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("the plot '" + chart.getTitle() + "' could not be encoded as PNG", e);
        }
    }
}
