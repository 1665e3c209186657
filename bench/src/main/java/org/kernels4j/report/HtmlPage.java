package org.kernels4j.report;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Builds one self-contained HTML page: the style sheet is inline, plots are embedded as data URIs (each
 * linking to its PNG beside the page), and nothing refers to another host, so the page opens offline and can
 * be mailed alone. All text is escaped.
 */
final class HtmlPage {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
            header{background:#1f2937;color:#fff;padding:18px 32px}
            header h1{margin:0 0 4px;font-size:22px}
            header p{margin:0;color:#cbd5e1;font-size:14px}
            nav{padding:8px 32px;background:#e5e7eb;font-size:14px}
            nav a{margin-right:16px;color:#1f2937}
            main{padding:8px 32px 32px;max-width:1400px}
            section{background:#fff;border-radius:8px;padding:12px 20px 16px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
            h2{font-size:18px;margin:6px 0 10px}
            h3{font-size:15px;margin:14px 0 6px}
            table{border-collapse:collapse;font-size:13px;margin:6px 0 10px}
            th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
            th{background:#f3f4f6;font-weight:600}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .ok{color:#15803d;font-weight:600}.bad{color:#b91c1c;font-weight:600}.muted{color:#6b7280}
            .plots{display:flex;flex-wrap:wrap;gap:16px}
            figure{margin:0;flex:1 1 640px;max-width:900px}
            figure img{width:100%;height:auto;border:1px solid #e5e7eb;border-radius:4px}
            figcaption{font-size:13px;color:#4b5563;margin-top:4px}
            p.note{font-size:13px;color:#4b5563}
            """;

    private final StringBuilder html = new StringBuilder();

    HtmlPage(String title, String subtitle, List<String[]> navigation) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<header><h1>")
                .append(escape(title)).append("</h1><p>").append(escape(subtitle)).append("</p></header>\n<nav>");
        for (String[] link : navigation) {
            html.append("<a href=\"#").append(escape(link[0])).append("\">").append(escape(link[1])).append("</a>");
        }
        html.append("</nav>\n<main>\n");
    }

    HtmlPage section(String id, String title) {
        html.append("<section id=\"").append(escape(id)).append("\">\n<h2>").append(escape(title)).append("</h2>\n");
        return this;
    }

    HtmlPage endSection() {
        html.append("</section>\n");
        return this;
    }

    HtmlPage heading(String text) {
        html.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    HtmlPage paragraph(String text) {
        html.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * A table (without a header row when every header is empty); cells are text, except that a cell starting with {@code "PASS"}, {@code "OK"} or {@code "FAIL"} is
     * coloured, and the columns in {@code numeric} are right-aligned.
     */
    HtmlPage table(List<String> headers, List<List<String>> rows, int... numeric) {
        html.append("<table>\n");
        if (headers.stream().anyMatch(h -> !h.isEmpty())) {
            html.append("<tr>");
            headers.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
            html.append("</tr>\n");
        }
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                String cssClass = isNumeric(c, numeric) ? "num" : cell.startsWith("FAIL") ? "bad"
                        : cell.equals("PASS") || cell.equals("available") ? "ok" : cell.startsWith("not run") || cell.startsWith("unavailable") ? "muted" : "";
                html.append(cssClass.isEmpty() ? "<td>" : "<td class=\"" + cssClass + "\">").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        return this;
    }

    /** The plots side by side, each embedded and linking to its file beside the page. */
    HtmlPage plots(List<Plot> plots) {
        html.append("<div class=\"plots\">\n");
        for (Plot plot : plots) {
            html.append("<figure><a href=\"").append(escape(plot.file())).append("\"><img src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(plot.png())).append("\" alt=\"").append(escape(plot.title()))
                    .append("\"></a><figcaption>").append(escape(plot.caption())).append("</figcaption></figure>\n");
        }
        html.append("</div>\n");
        return this;
    }

    String finish() {
        return html + "</main>\n</body>\n</html>\n";
    }

    static String escape(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean isNumeric(int column, int[] numeric) {
        for (int n : numeric) {
            if (n == column) {
                return true;
            }
        }
        return false;
    }
}
