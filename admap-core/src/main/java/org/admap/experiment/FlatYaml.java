package org.admap.experiment;

import java.util.Locale;
import java.util.Map;

/**
 * Writes a flat YAML mapping (one {@code key: value} per line, as LLaMA-Factory's and TRL's
 * training configs are), with strings quoted JSON-style (valid YAML whatever they contain)
 * and numbers in a form both YAML 1.1 and 1.2 read as floats ({@code 5.0e-06}).
 */
final class FlatYaml {

    private FlatYaml() {
    }

    /** The mapping as YAML, after a comment header (each line prefixed with {@code # }). */
    static String write(String header, Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n", -1)) {
            sb.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!e.getKey().matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain YAML key: " + e.getKey());
            }
            sb.append(e.getKey()).append(": ").append(value(e.getValue())).append('\n');
        }
        return sb.toString();
    }

    static String value(Object v) {
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException("not a finite number: " + d);
            }
            if (d == 0 || (Math.abs(d) >= 1e-3 && Math.abs(d) < 1e6)) {
                String plain = java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
                return plain.contains(".") ? plain : plain + ".0"; // 0.01, 2.0, 2.5: a float in YAML 1.1 and 1.2
            }
            String s = String.format(Locale.ROOT, "%.6e", d); // 5.000000e-06
            String mantissa = s.substring(0, s.indexOf('e')).replaceAll("0+$", "");
            if (mantissa.endsWith(".")) {
                mantissa += "0";
            }
            return mantissa + s.substring(s.indexOf('e'));
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
