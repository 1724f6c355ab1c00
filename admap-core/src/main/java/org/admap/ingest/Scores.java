package org.admap.ingest;

/** Applies a score transform and checks that its result is still a number. */
final class Scores {

    private Scores() {
    }

    static double transform(ScoreTransform transform, double score, RowFields f, String path) {
        if (transform.isIdentity()) {
            return score;
        }
        double t = transform.apply(score);
        if (Double.isNaN(t) || Double.isInfinite(t)) {
            throw f.error(path, "score transform '" + transform + "' turns " + score + " into " + t);
        }
        return t;
    }
}
