package org.kernels4j.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON from plain Java values: {@link Map} (string keys, kept in iteration order), {@link List},
 * {@link String}, {@link Number}, {@link Boolean} and null. Non-finite numbers become null, since JSON
 * has no NaN or Infinity. Indented two spaces, so that results files diff well.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder text = new StringBuilder();
        append(text, value, "");
        return text.append('\n').toString();
    }

    private static void append(StringBuilder text, Object value, String indent) {
        switch (value) {
            case null -> text.append("null");
            case String s -> string(text, s);
            case Boolean b -> text.append(b);
            case Double d -> number(text, d);
            case Float f -> number(text, f.doubleValue());
            case Number n -> text.append(n);
            case Map<?, ?> map -> object(text, map, indent);
            case List<?> list -> array(text, list, indent);
            default -> throw new IllegalArgumentException("value: " + value.getClass().getName() + " has no JSON form");
        }
    }

    private static void number(StringBuilder text, double d) {
        if (!Double.isFinite(d)) {
            text.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            text.append((long) d);
        } else {
            text.append(d);
        }
    }

    private static void object(StringBuilder text, Map<?, ?> map, String indent) {
        if (map.isEmpty()) {
            text.append("{}");
            return;
        }
        String inner = indent + "  ";
        text.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("value: map key " + entry.getKey() + " is not a string");
            }
            text.append(inner);
            string(text, key);
            text.append(": ");
            append(text, entry.getValue(), inner);
            text.append(entries.hasNext() ? ",\n" : "\n");
        }
        text.append(indent).append('}');
    }

    private static void array(StringBuilder text, List<?> list, String indent) {
        if (list.isEmpty()) {
            text.append("[]");
            return;
        }
        String inner = indent + "  ";
        text.append("[\n");
        for (int i = 0; i < list.size(); i++) {
            text.append(inner);
            append(text, list.get(i), inner);
            text.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        text.append(indent).append(']');
    }

    private static void string(StringBuilder text, String s) {
        text.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
