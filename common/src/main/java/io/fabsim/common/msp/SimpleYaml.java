package io.fabsim.common.msp;

import io.fabsim.common.crypto.CryptoMaterialException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parser for the small block-style YAML of an MSP {@code config.yaml}: nested mappings of
 * {@code key: scalar}. Sequences ({@code - item}, e.g. {@code OrganizationalUnitIdentifiers}) are
 * skipped, since only {@code NodeOUs} is read. Comments and quotes are handled; flow style is not.
 */
final class SimpleYaml {

    private SimpleYaml() {
    }

    private record Level(int indent, Map<String, Object> map) {
    }

    static Map<String, Object> parse(String text, String source) {
        Map<String, Object> root = new LinkedHashMap<>();
        Deque<Level> stack = new ArrayDeque<>();
        stack.push(new Level(-1, root));
        int skipDeeperThan = Integer.MAX_VALUE;
        String[] lines = text.split("\r?\n");
        for (int n = 0; n < lines.length; n++) {
            String line = stripComment(lines[n]);
            if (line.isBlank() || line.strip().equals("---")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            String content = line.strip();
            if (indent > skipDeeperThan) {
                continue;
            }
            skipDeeperThan = Integer.MAX_VALUE;
            if (content.startsWith("- ") || content.equals("-")) {
                skipDeeperThan = indent;
                continue;
            }
            int colon = content.indexOf(':');
            if (colon <= 0) {
                throw new CryptoMaterialException(source + ": line " + (n + 1) + ": expected \"key: value\", got \"" + content + "\"");
            }
            while (stack.peek().indent() >= indent) {
                stack.pop();
            }
            String key = unquote(content.substring(0, colon).strip());
            String value = content.substring(colon + 1).strip();
            if (value.isEmpty()) {
                Map<String, Object> child = new LinkedHashMap<>();
                stack.peek().map().put(key, child);
                stack.push(new Level(indent, child));
            } else {
                stack.peek().map().put(key, unquote(value));
            }
        }
        return root;
    }

    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
