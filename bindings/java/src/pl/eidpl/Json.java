package pl.eidpl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader and string quoting, so the wrapper needs nothing but JNA. Objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Double}, plus
 * {@code String}, {@code Boolean} and {@code null}.
 */
public final class Json {
    private Json() {}

    /** Parses a JSON text (the results of libeidpl are always valid JSON). */
    public static Object parse(String text) {
        int[] i = {0};
        Object value = value(text, i);
        space(text, i);
        if (i[0] != text.length()) {
            throw new IllegalArgumentException("trailing characters after JSON at " + i[0]);
        }
        return value;
    }

    /** A JSON string literal for {@code s} (with quotes), or {@code null}. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    /** {@code {"k": "v", …}} from pairs, leaving out null values. */
    static String object(String... keyValues) {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k + 1 < keyValues.length; k += 2) {
            if (keyValues[k + 1] == null) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(quote(keyValues[k])).append(": ").append(quote(keyValues[k + 1]));
        }
        return sb.append('}').toString();
    }

    /** The value at a path of object keys (and list indexes as digits), or null. */
    public static Object get(Object root, String... path) {
        Object cur = root;
        for (String key : path) {
            if (cur instanceof Map) {
                cur = ((Map<?, ?>) cur).get(key);
            } else if (cur instanceof List && key.matches("[0-9]+")) {
                List<?> list = (List<?>) cur;
                int index = Integer.parseInt(key);
                cur = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
        }
        return cur;
    }

    /** The string at a path, or null when absent or not a string. */
    public static String str(Object root, String... path) {
        Object v = get(root, path);
        return v instanceof String ? (String) v : null;
    }

    private static void space(String t, int[] i) {
        while (i[0] < t.length() && " \t\n\r".indexOf(t.charAt(i[0])) >= 0) {
            i[0]++;
        }
    }

    private static void expect(String t, int[] i, char c) {
        if (i[0] >= t.length() || t.charAt(i[0]) != c) {
            throw new IllegalArgumentException("expected '" + c + "' in JSON at " + i[0]);
        }
        i[0]++;
    }

    private static Object value(String t, int[] i) {
        space(t, i);
        if (i[0] >= t.length()) {
            throw new IllegalArgumentException("unexpected end of JSON");
        }
        char c = t.charAt(i[0]);
        if (c == '{') {
            Map<String, Object> obj = new LinkedHashMap<>();
            i[0]++;
            space(t, i);
            if (i[0] < t.length() && t.charAt(i[0]) == '}') {
                i[0]++;
                return obj;
            }
            while (true) {
                space(t, i);
                String key = string(t, i);
                space(t, i);
                expect(t, i, ':');
                obj.put(key, value(t, i));
                space(t, i);
                if (i[0] < t.length() && t.charAt(i[0]) == ',') {
                    i[0]++;
                    continue;
                }
                expect(t, i, '}');
                return obj;
            }
        }
        if (c == '[') {
            List<Object> list = new ArrayList<>();
            i[0]++;
            space(t, i);
            if (i[0] < t.length() && t.charAt(i[0]) == ']') {
                i[0]++;
                return list;
            }
            while (true) {
                list.add(value(t, i));
                space(t, i);
                if (i[0] < t.length() && t.charAt(i[0]) == ',') {
                    i[0]++;
                    continue;
                }
                expect(t, i, ']');
                return list;
            }
        }
        if (c == '"') {
            return string(t, i);
        }
        if (t.startsWith("true", i[0])) {
            i[0] += 4;
            return Boolean.TRUE;
        }
        if (t.startsWith("false", i[0])) {
            i[0] += 5;
            return Boolean.FALSE;
        }
        if (t.startsWith("null", i[0])) {
            i[0] += 4;
            return null;
        }
        int start = i[0];
        while (i[0] < t.length() && "+-0123456789.eE".indexOf(t.charAt(i[0])) >= 0) {
            i[0]++;
        }
        if (start == i[0]) {
            throw new IllegalArgumentException("unexpected character in JSON at " + start);
        }
        return Double.valueOf(t.substring(start, i[0]));
    }

    private static String string(String t, int[] i) {
        expect(t, i, '"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i[0] >= t.length()) {
                throw new IllegalArgumentException("unterminated JSON string");
            }
            char c = t.charAt(i[0]++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i[0] >= t.length()) {
                throw new IllegalArgumentException("unterminated JSON escape");
            }
            char e = t.charAt(i[0]++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (i[0] + 4 > t.length()) {
                        throw new IllegalArgumentException("short \\u escape in JSON");
                    }
                    sb.append((char) Integer.parseInt(t.substring(i[0], i[0] + 4), 16));
                    i[0] += 4;
                    break;
                default:
                    throw new IllegalArgumentException("bad JSON escape \\" + e);
            }
        }
    }
}
