package org.kernels4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Writes files so that readers see either the old file or the complete new one, never a half-written
 * one: the content goes to a temporary file in the target's directory (same file system, so that the
 * rename cannot turn into a copy), is forced to disk, then renamed over the target atomically. If
 * anything fails the temporary file is deleted and the target is left as it was.
 *
 * <p>Stateless and thread-safe; concurrent writers of one target each leave a complete file, the last
 * rename winning.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces a file's content into an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target} atomically.
     *
     * @throws NoSuchFileException        when the target's directory does not exist
     * @throws FileSystemException       when the target is a directory
     * @throws IOException                when writing or renaming fails (the target is then unchanged)
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new NoSuchFileException(String.valueOf(directory), null, "directory does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(absolute.toString(), null, "is a directory");
        }
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp", permissions(directory));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel);
                channel.force(false);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically (see {@link #write(Path, Content)}). */
    public static void writeString(Path target, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        write(target, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        });
    }

    /**
     * createTempFile makes owner-only files; the renamed result should get the permissions any new file
     * gets (rw-rw-rw- less the umask), as if it had been written in place.
     */
    private static FileAttribute<?>[] permissions(Path directory) {
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-"))};
        }
        return new FileAttribute<?>[0];
    }
}
