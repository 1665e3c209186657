package org.kernels4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The main class of the ranks that k4j starts under mpirun ({@link MpiRanks}): k4j itself, with the same
 * arguments, except that each line of stdout and stderr is written in one piece. mpirun's
 * {@code --tag-output} tags every piece it reads, so a line written in several pieces (as {@code printf}
 * does) would carry tags in its middle.
 */
public final class MpiRankMain {
    private MpiRankMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new LineAtATime(new FileOutputStream(FileDescriptor.out)), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new LineAtATime(new FileOutputStream(FileDescriptor.err)), false, StandardCharsets.UTF_8);
        System.exit(K4j.run(args, out, err));
    }

    /** Holds bytes until a newline (or a flush), then writes them with one call. Not thread-safe; PrintStream serializes. */
    private static final class LineAtATime extends OutputStream {
        private final OutputStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineAtATime(OutputStream target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        @Override
        public void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public void flush() throws IOException {
            if (line.size() > 0) {
                target.write(line.toByteArray());
                line.reset();
            }
            target.flush();
        }
    }
}
