package org.calibkit.core;

/**
 * Text from outside (a native engine's log, a damaged file's bytes) made fit for one line of
 * a terminal: line breaks folded into {@code " | "}, other control characters and ANSI escapes
 * written as {@code \xNN} or {@code \u005CuNNNN}, and the whole capped in length.
 */
public final class Messages {
    private Messages() {
    }

    /** {@code text} with every non-printable character escaped. */
    public static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\x%02x", (int) c & 0xFF));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Several lines as one: ANSI colour codes dropped, blank lines skipped, the rest joined with " | ", at most {@code max} characters. */
    public static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String noAnsi = text.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
        StringBuilder b = new StringBuilder();
        for (String line : noAnsi.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty()) {
                b.append(b.length() == 0 ? "" : " | ").append(l);
            }
        }
        String s = printable(b.toString());
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
    }
}
