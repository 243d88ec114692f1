package org.calibkit.calibration.charts;

/** SVG post-processing: XML escaping and the {@code <title>}/{@code <desc>} elements for screen readers. */
final class SvgText {
    private SvgText() {
    }

    /** Escapes text for XML content and attribute values. */
    static String xmlEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    // characters XML 1.0 forbids are dropped rather than written
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** {@code svg} with the escaped title and description as the root element's first children. */
    static String withTitle(String svg, String title, String desc) {
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            throw new IllegalStateException("SVG encoder produced no <svg> element");
        }
        if (svg.charAt(end - 1) == '/') {
            // an empty root element: open it
            return svg.substring(0, end - 1) + ">" + "<title>" + xmlEscape(title) + "</title><desc>"
                    + xmlEscape(desc) + "</desc></svg>" + svg.substring(end + 1);
        }
        return svg.substring(0, end + 1) + "\n<title>" + xmlEscape(title) + "</title>\n<desc>" + xmlEscape(desc)
                + "</desc>" + svg.substring(end + 1);
    }
}
