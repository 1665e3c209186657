package org.kernels4j.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the subset of Python literal syntax that {@code .npy} headers use: dicts with string keys,
 * strings in single or double quotes, True/False, integers (with Python 2's optional {@code L} suffix)
 * and tuples or lists of these. Results are {@link String}, {@link Boolean}, {@link Long},
 * {@link List} (tuples and lists alike) and {@link Map}. Nothing is evaluated, so a crafted header can
 * do no more than fail to parse.
 */
final class PythonLiteral {
    private final String text;
    private int position;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** Parses {@code text}, which must hold exactly one literal (surrounding whitespace allowed). */
    static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value() {
        skipWhitespace();
        if (position >= text.length()) {
            throw error("the text ends where a value should start");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> dict();
            case '(' -> sequence(')');
            case '[' -> sequence(']');
            case '\'', '"' -> string();
            default -> c == '-' || Character.isDigit(c) ? integer() : keyword();
        };
    }

    private Map<String, Object> dict() {
        position++;
        Map<String, Object> entries = new LinkedHashMap<>();
        while (!closes('}')) {
            skipWhitespace();
            int keyStart = position;
            if (!(value() instanceof String key)) {
                position = keyStart;
                throw error("dict keys must be strings");
            }
            skipWhitespace();
            expect(':');
            entries.put(key, value());
            separatorOrEnd('}');
        }
        return entries;
    }

    private List<Object> sequence(char end) {
        position++;
        List<Object> items = new ArrayList<>();
        while (!closes(end)) {
            items.add(value());
            separatorOrEnd(end);
        }
        return items;
    }

    /** Consumes {@code end} (after whitespace) and says whether it was there. */
    private boolean closes(char end) {
        skipWhitespace();
        if (position < text.length() && text.charAt(position) == end) {
            position++;
            return true;
        }
        return false;
    }

    /** After an item: a comma (a trailing one before the closing bracket is fine) or the closing bracket itself. */
    private void separatorOrEnd(char end) {
        skipWhitespace();
        if (position < text.length() && text.charAt(position) == ',') {
            position++;
        } else if (position >= text.length() || text.charAt(position) != end) {
            throw error("expected ',' or '" + end + "'");
        }
    }

    private String string() {
        char quote = text.charAt(position++);
        int start = position;
        while (position < text.length() && text.charAt(position) != quote) {
            if (text.charAt(position) == '\\') {
                throw error("escape sequences are not supported in header strings");
            }
            position++;
        }
        if (position >= text.length()) {
            throw error("unterminated string");
        }
        return text.substring(start, position++);
    }

    private Long integer() {
        int start = position;
        if (text.charAt(position) == '-') {
            position++;
        }
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        String digits = text.substring(start, position);
        if (position < text.length() && text.charAt(position) == 'L') {
            position++;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            position = start;
            throw error("'" + digits + "' is not an integer that fits 64 bits");
        }
    }

    private Boolean keyword() {
        for (String word : new String[] {"True", "False"}) {
            if (text.startsWith(word, position)) {
                position += word.length();
                return word.equals("True");
            }
        }
        throw error("unexpected character '" + text.charAt(position) + "'");
    }

    private void expect(char c) {
        if (position >= text.length() || text.charAt(position) != c) {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at offset " + position);
    }
}
