package org.kernels4j.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The plots of a page, or why none could be drawn. Drawing needs {@code java.desktop} and fonts, which a runtime may
 * lack ({@code k4j dist} leaves the module out to fit a GPU machine's carry): the tables and JSON are still worth
 * writing then, with the reason on the page.
 *
 * @param plots   the plots drawn, empty when drawing failed
 * @param failure why drawing failed, empty when it did not
 */
record DrawnPlots(List<Plot> plots, Optional<String> failure) {
    DrawnPlots {
        plots = List.copyOf(plots);
        Objects.requireNonNull(failure, "failure");
    }

    static DrawnPlots draw(Supplier<List<Plot>> drawing) {
        Objects.requireNonNull(drawing, "drawing");
        try {
            return new DrawnPlots(drawing.get(), Optional.empty());
        } catch (RuntimeException | Error e) {
            // NoClassDefFoundError (no java.desktop) and AWTError (no display, no fonts) are Errors.
            return new DrawnPlots(List.of(), Optional.of("the plots could not be drawn: " + e));
        }
    }
}
