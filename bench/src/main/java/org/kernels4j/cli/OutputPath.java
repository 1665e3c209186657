package org.kernels4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work, that a file can be written where an option says: its directory exists and it is not a directory. */
final class OutputPath {
    private OutputPath() {
    }

    static Path checked(String option, Path path) {
        Path directory = path.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new BadInputException("--" + option + ": directory '" + directory + "' of '" + path + "' does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new BadInputException("--" + option + ": '" + path + "' is a directory");
        }
        return path;
    }
}
