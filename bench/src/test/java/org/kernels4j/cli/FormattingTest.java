package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain-text table and the JSON writer that results go through. */
class FormattingTest {
    @Test
    void tableAlignsTextLeftAndNumbersRight() {
        String text = new TextTable("name", "value").numeric(1).row("a", "1.5").row("longer", "12.25").render();
        assertEquals("""
                name    value
                ------  -----
                a         1.5
                longer  12.25
                """, text);
    }

    @Test
    void tableRowsMustMatchTheColumns() {
        TextTable table = new TextTable("a", "b");
        assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertThrows(IllegalArgumentException.class, () -> table.numeric(2));
        assertThrows(IllegalArgumentException.class, TextTable::new);
    }

    @Test
    void jsonWritesNestedValuesEscapedAndNonFiniteAsNull() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", "a \"quoted\"\tline\n");
        document.put("count", 3);
        document.put("rate", 1.5);
        document.put("whole", 2.0);
        document.put("nan", Double.NaN);
        document.put("flags", List.of(true, false));
        document.put("empty", Map.of());
        document.put("nothing", null);
        document.put("rows", List.of(Map.of("x", 1), List.of()));
        assertEquals("""
                {
                  "name": "a \\"quoted\\"\\tline\\n",
                  "count": 3,
                  "rate": 1.5,
                  "whole": 2,
                  "nan": null,
                  "flags": [
                    true,
                    false
                  ],
                  "empty": {},
                  "nothing": null,
                  "rows": [
                    {
                      "x": 1
                    },
                    []
                  ]
                }
                """, Json.write(document));
    }

    @Test
    void jsonRefusesValuesWithoutAJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Arrays.asList(new int[0])));
    }
}
