package org.admap.diagnose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * The {@link Examined} instructions of a {@link Diagnoser}, kept as columns of numbers rather
 * than as objects: a million examined instructions were three million small objects (point,
 * evidence, entry) that every young collection copied, most of a diagnosis's time on a big
 * map. {@link #get} rebuilds an entry, equal to the one {@link #add}ed, when a rule asks about
 * it. The scorers' evidence, present only with {@code --scorers}, stays a list of objects.
 */
final class ExaminedList {

    private static final Region[] REGIONS = Region.values();

    private int size;
    private int[] keys;
    /** Null until a point with an id is added (points accepted without ids have none). */
    private String[] ids;
    private int[] ns;
    private double[] means;
    private double[] variances;
    private double[] stds;
    /** The region's ordinal, -1 for none. */
    private byte[] regions;
    private double[] pointCorrelations;
    private double[] regionPs;
    /** The main evidence's n, -1 where there is no main evidence (labels not independent). */
    private int[] mainNs;
    private double[] correlations;
    private double[] rankAgreements;
    private double[] margins;
    private double[] confidences;
    private double[] marginSds;
    private double[] agreeProbabilities;
    /** Null until an entry with scorers is added. */
    private List<List<Evidence>> scorers;
    private int[] scorersDefined;
    private int[] scorersAgainst;
    private double[] scorerAgreements;

    ExaminedList(int capacity) {
        allocate(Math.max(16, capacity));
    }

    private void allocate(int capacity) {
        keys = Arrays.copyOf(keys == null ? new int[0] : keys, capacity);
        ids = ids == null ? null : Arrays.copyOf(ids, capacity);
        ns = Arrays.copyOf(ns == null ? new int[0] : ns, capacity);
        means = grow(means, capacity);
        variances = grow(variances, capacity);
        stds = grow(stds, capacity);
        regions = Arrays.copyOf(regions == null ? new byte[0] : regions, capacity);
        pointCorrelations = grow(pointCorrelations, capacity);
        regionPs = grow(regionPs, capacity);
        mainNs = Arrays.copyOf(mainNs == null ? new int[0] : mainNs, capacity);
        correlations = grow(correlations, capacity);
        rankAgreements = grow(rankAgreements, capacity);
        margins = grow(margins, capacity);
        confidences = grow(confidences, capacity);
        marginSds = grow(marginSds, capacity);
        agreeProbabilities = grow(agreeProbabilities, capacity);
        scorersDefined = Arrays.copyOf(scorersDefined == null ? new int[0] : scorersDefined, capacity);
        scorersAgainst = Arrays.copyOf(scorersAgainst == null ? new int[0] : scorersAgainst, capacity);
        scorerAgreements = grow(scorerAgreements, capacity);
    }

    private static double[] grow(double[] a, int capacity) {
        return Arrays.copyOf(a == null ? new double[0] : a, capacity);
    }

    int size() {
        return size;
    }

    /** Makes room for {@code more} entries beyond those added. */
    void ensureRoom(int more) {
        long needed = (long) size + more;
        if (needed > keys.length) {
            allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, keys.length + (keys.length >> 1))));
        }
    }

    void add(Examined e) {
        ensureRoom(1);
        int i = size;
        MapPoint p = e.point();
        keys[i] = p.key();
        if (p.id() != null) {
            if (ids == null) {
                ids = new String[keys.length];
            }
            ids[i] = p.id();
        }
        ns[i] = p.n();
        means[i] = p.mean();
        variances[i] = p.variance();
        stds[i] = p.std();
        regions[i] = p.region() == null ? -1 : (byte) p.region().ordinal();
        pointCorrelations[i] = p.correlation();
        regionPs[i] = p.regionP();
        Evidence m = e.main();
        if (m == null) {
            mainNs[i] = -1;
        } else {
            if (!m.source().isEmpty()) {
                throw new IllegalArgumentException("the main evidence has no source name, got " + m.source());
            }
            mainNs[i] = m.n();
            correlations[i] = m.correlation();
            rankAgreements[i] = m.rankAgreement();
            margins[i] = m.margin();
            confidences[i] = m.confidence();
            marginSds[i] = m.marginSd();
            agreeProbabilities[i] = m.agreeProbability();
        }
        if (!e.scorers().isEmpty()) {
            if (scorers == null) {
                scorers = new ArrayList<>(keys.length);
            }
            while (scorers.size() < i) {
                scorers.add(List.of());
            }
            scorers.add(e.scorers());
        } else if (scorers != null) {
            scorers.add(List.of());
        }
        scorersDefined[i] = e.scorersDefined();
        scorersAgainst[i] = e.scorersAgainst();
        scorerAgreements[i] = e.scorerAgreement();
        size++;
    }

    /** The key of entry {@code i}. */
    int key(int i) {
        return keys[i];
    }

    /** The variance of entry {@code i}'s point. */
    double variance(int i) {
        return variances[i];
    }

    /** The main evidence's correlation of entry {@code i} if it has n of 3 or more, else NaN. */
    double definedCorrelation(int i) {
        return mainNs[i] >= 3 ? correlations[i] : Double.NaN;
    }

    /** Entry {@code i}, as it was added. */
    Examined get(int i) {
        MapPoint p = new MapPoint(keys[i], ids == null ? null : ids[i], ns[i], means[i], variances[i], stds[i],
                regions[i] < 0 ? null : REGIONS[regions[i]], pointCorrelations[i], regionPs[i]);
        Evidence m = mainNs[i] < 0 ? null : new Evidence("", mainNs[i], correlations[i], rankAgreements[i],
                margins[i], confidences[i], marginSds[i], agreeProbabilities[i]);
        List<Evidence> s = scorers == null || i >= scorers.size() ? List.of() : scorers.get(i);
        return new Examined(p, m, s, scorersDefined[i], scorersAgainst[i], scorerAgreements[i]);
    }
}
