package org.kernels4j.report;

import java.util.Objects;

/**
 * One rendered plot.
 *
 * @param file    the PNG's file name beside the page ("roofline-gemm.png")
 * @param title   what it shows
 * @param caption how to read it
 * @param png     the PNG's bytes
 */
public record Plot(String file, String title, String caption, byte[] png) {
    public Plot {
        Fields.text("file", file);
        if (!file.matches("[a-z0-9-]+\\.png")) {
            throw new IllegalArgumentException("file: '" + file + "' is not a plain name ending in .png");
        }
        Fields.text("title", title);
        caption = caption == null ? "" : caption;
        Objects.requireNonNull(png, "png");
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }
}
