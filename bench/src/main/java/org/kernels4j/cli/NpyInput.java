package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyReader;

/** Reads the .npy file an option names; every problem becomes one line naming the option, the file and what is wrong. */
final class NpyInput {
    private NpyInput() {
    }

    static NpyArray read(String option, Path path) {
        if (Files.isDirectory(path)) {
            throw new BadInputException("--" + option + ": '" + path + "' is a directory, not an .npy file");
        }
        try {
            return NpyReader.read(path);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--" + option + ": no such file '" + path + "'");
        } catch (AccessDeniedException e) {
            throw new BadInputException("--" + option + ": permission denied reading '" + path + "'");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + option + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("--" + option + ": cannot read '" + path + "': " + e.getMessage());
        }
    }

    /** "--a a.npy": how messages refer to an input. */
    static String named(String option, NpyArray array) {
        return "--" + option + " " + array.source();
    }
}
