package org.admap.score.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ROUGE-L (Lin, 2004): how much of a reference a text covers, in order, measured by the
 * longest common subsequence (LCS) of their words. With {@code m} candidate words,
 * {@code n} reference words and an LCS of {@code l} words, precision is {@code l/m}, recall
 * {@code l/n}, and the F-measure with beta = 1 is their harmonic mean, {@code 2l/(m+n)}.
 *
 * <p>Words are maximal runs of letters and digits of any script, lower-cased; everything
 * else separates them. No stemming and no stop words. (The {@code rouge_score} Python
 * package keeps ASCII letters and digits only, and the paper's script also stemmed: scores
 * on English text are close to its, not identical.)
 *
 * <pre>{@code
 * RougeL.f1("the cat sat on the mat", "the cat lay on the mat")  // LCS "the cat on the mat": 5 of 6 words, 0.833...
 * }</pre>
 *
 * <p>Time is proportional to {@code m * n}, memory to {@code min(m, n)}.
 */
public final class RougeL {

    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private RougeL() {
    }

    /**
     * Precision, recall and F1 of a candidate against a reference.
     *
     * @param lcs the length of the longest common subsequence, in words
     */
    public record Score(double precision, double recall, double f1, int lcs) {
    }

    /** ROUGE-L F1 of a candidate against a reference, in [0, 1]; 0 when either has no words. */
    public static double f1(String candidate, String reference) {
        return score(candidate, reference).f1();
    }

    /** ROUGE-L precision, recall and F1 of a candidate against a reference. */
    public static Score score(String candidate, String reference) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        if (c.isEmpty() || r.isEmpty()) {
            return new Score(0, 0, 0, 0);
        }
        int l = lcs(c, r);
        // 2l/(m+n) rather than 2PR/(P+R): the same value, exactly symmetric in the two texts.
        return new Score((double) l / c.size(), (double) l / r.size(), 2.0 * l / (c.size() + r.size()), l);
    }

    /** The words of a text: runs of letters and digits, lower-cased. */
    public static List<String> tokens(String text) {
        List<String> words = new ArrayList<>();
        for (String w : SEPARATORS.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** The length of the longest common subsequence of two word lists. */
    public static int lcs(List<String> a, List<String> b) {
        if (a.size() < b.size()) {
            List<String> t = a;
            a = b;
            b = t;
        }
        // Words as small integers: comparing ints in the inner loop, not strings.
        Map<String, Integer> ids = new HashMap<>();
        int[] x = new int[a.size()];
        int[] y = new int[b.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ids.computeIfAbsent(a.get(i), k -> ids.size());
        }
        for (int j = 0; j < y.length; j++) {
            Integer id = ids.get(b.get(j));
            y[j] = id == null ? -1 : id;
        }
        int[] previous = new int[y.length + 1];
        int[] current = new int[y.length + 1];
        for (int xi : x) {
            for (int j = 1; j <= y.length; j++) {
                current[j] = xi == y[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[y.length];
    }
}
