package org.admap.ingest;

import java.io.Serializable;
import java.util.Objects;

/**
 * An arithmetic expression applied to every score as it is read, such as {@code x - 1}
 * (AlpacaEval's preference in [1, 2] becomes a win probability in [0, 1]) or
 * {@code (x - 1) / 4}. The variable may be written {@code x} or as any name (the field's
 * own name reads best: {@code preference - 1}). Supports {@code + - * /}, unary minus,
 * parentheses and decimal numbers.
 *
 * <p>Hand-written because the grammar is five lines; a scripting engine would be a large,
 * slow dependency for it.
 *
 * <p>Serializable (a Spark job sends it to its executors) as its text, parsed again on
 * arrival; {@link #IDENTITY} stays the one identity. Equal when written the same.
 */
public final class ScoreTransform implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The transform that leaves scores unchanged. */
    public static final ScoreTransform IDENTITY = new ScoreTransform("x", new Var());

    private final String source;
    private final Node root;

    private ScoreTransform(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Parses an expression; fails with the position of the first error. */
    public static ScoreTransform parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        Parser p = new Parser(expression);
        Node root = p.expression();
        p.skipSpaces();
        if (p.pos < expression.length()) {
            throw p.error("unexpected '" + expression.charAt(p.pos) + "'");
        }
        return new ScoreTransform(expression.trim(), root);
    }

    /** Applies the transform to one score. */
    public double apply(double x) {
        return root.eval(x);
    }

    /** Whether this transform leaves scores unchanged. */
    public boolean isIdentity() {
        return this == IDENTITY;
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreTransform t && t.isIdentity() == isIdentity() && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + (isIdentity() ? 1 : 0);
    }

    /** What is serialized: the text, not the parsed tree. */
    private Object writeReplace() {
        return new Written(source, isIdentity());
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a ScoreTransform is serialized as its text");
    }

    /** The serialized form of a transform: its text, and whether it is {@link #IDENTITY}. */
    private record Written(String source, boolean identity) implements Serializable {
        private Object readResolve() {
            return identity ? IDENTITY : parse(source);
        }
    }

    private interface Node {
        double eval(double x);
    }

    private record Var() implements Node {
        public double eval(double x) {
            return x;
        }
    }

    private record Num(double value) implements Node {
        public double eval(double x) {
            return value;
        }
    }

    private record Neg(Node inner) implements Node {
        public double eval(double x) {
            return -inner.eval(x);
        }
    }

    private record Binary(char op, Node left, Node right) implements Node {
        public double eval(double x) {
            double a = left.eval(x);
            double b = right.eval(x);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> a / b;
            };
        }
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Node expression() {
            Node left = term();
            while (true) {
                skipSpaces();
                if (peek('+') || peek('-')) {
                    char op = text.charAt(pos++);
                    left = new Binary(op, left, term());
                } else {
                    return left;
                }
            }
        }

        Node term() {
            Node left = factor();
            while (true) {
                skipSpaces();
                if (peek('*') || peek('/')) {
                    char op = text.charAt(pos++);
                    left = new Binary(op, left, factor());
                } else {
                    return left;
                }
            }
        }

        Node factor() {
            skipSpaces();
            if (pos >= text.length()) {
                throw error("expression ends too early");
            }
            char c = text.charAt(pos);
            if (c == '-') {
                pos++;
                return new Neg(factor());
            }
            if (c == '(') {
                pos++;
                Node inner = expression();
                skipSpaces();
                if (!peek(')')) {
                    throw error("missing ')'");
                }
                pos++;
                return inner;
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                        || text.charAt(pos) == 'e' || text.charAt(pos) == 'E'
                        || ((text.charAt(pos) == '-' || text.charAt(pos) == '+')
                            && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
                    pos++;
                }
                try {
                    return new Num(Double.parseDouble(text.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw error("bad number '" + text.substring(start, pos) + "'");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                        || text.charAt(pos) == '_')) {
                    pos++;
                }
                return new Var();
            }
            throw error("unexpected '" + c + "'");
        }

        boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad score transform '" + text + "' at position "
                    + (pos + 1) + ": " + what + " (expected an expression in x such as 'x - 1' or '(x - 1) / 4')");
        }
    }
}
