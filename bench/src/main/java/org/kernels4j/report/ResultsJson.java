package org.kernels4j.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@link Results} to and from JSON (Jackson). Writing is indented, so that results files diff well. Reading
 * refuses, with one line naming the file and the problem: a file that cannot be read, text that is not JSON, a
 * document that is not a kernels4j results file, any schema version other than {@value Results#SCHEMA_VERSION},
 * and a missing required field. Fields this version does not know are ignored, so that additions that keep
 * the schema version (new optional fields) do not break older readers.
 */
public final class ResultsJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ResultsJson() {
    }

    public static String write(Results results) {
        Objects.requireNonNull(results, "results");
        return writeDocument(results);
    }

    /**
     * Any other document k4j writes (records, maps, lists), with the same settings as results files, e.g. the
     * collectives table that does not fit the results schema yet.
     */
    public static String writeDocument(Object document) {
        Objects.requireNonNull(document, "document");
        try {
            return MAPPER.writeValueAsString(document) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException(document.getClass().getSimpleName() + " could not be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a results file; the message of the exception names {@code file} and the problem. */
    public static Results read(Path file) throws ResultsFormatException {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ResultsFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new ResultsFormatException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(file.toString(), text);
    }

    /** Parses results from {@code text}; {@code origin} names it in messages. */
    public static Results parse(String origin, String text) throws ResultsFormatException {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ResultsFormatException(origin + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree == null || !tree.isObject() || !Results.FORMAT.equals(tree.path("format").asText())) {
            throw new ResultsFormatException(origin + ": not a kernels4j results file (no \"format\": \"" + Results.FORMAT + "\")");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.canConvertToExactIntegral()) {
            throw new ResultsFormatException(origin + ": no schemaVersion number");
        }
        if (version.asInt() != Results.SCHEMA_VERSION) {
            throw new ResultsFormatException(origin + ": schema version " + version.asText() + ", but this k4j reads version "
                    + Results.SCHEMA_VERSION + " only (re-run k4j report with this version, or read it with the k4j that wrote it)");
        }
        try {
            return MAPPER.treeToValue(tree, Results.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ResultsFormatException(origin + ": " + cause.getMessage() + " at " + path(e));
        } catch (JacksonException e) {
            throw new ResultsFormatException(origin + ": " + e.getOriginalMessage() + " at " + path(e));
        }
    }

    private static String path(JacksonException e) {
        return e instanceof JsonMappingException mapping ? mapping.getPathReference() : "?";
    }
}
