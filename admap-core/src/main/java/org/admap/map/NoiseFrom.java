package org.admap.map;

/**
 * Where the noise behind a map's {@code region_p} was measured, decided by the estimate that
 * used it ({@link MapStability}) and written to {@code summary.json} as
 * {@code map.stability.noise_from}: it says what one judgment's variance there means, a spread
 * between repeated judgments of a response or the judge's spread within one judgment. The report
 * reads it instead of guessing from the count of judgments per score, which a source mixing
 * single judgments with a few lists of samples would get wrong.
 */
public enum NoiseFrom {
    /** Each response whose noise is its own was judged two or more times: the spread between them. */
    SAMPLES("samples"),
    /** The map of one sample ({@code map --sample J}): the spread between the response's samples. */
    SAMPLE("sample"),
    /** One judgment per response, a share judged twice ({@code score --calibrate F}): the pairs. */
    CALIBRATION("calibration"),
    /**
     * Every response with a noise of its own was judged once, its standard error the spread of the
     * judge's score distribution from its log-probabilities ({@code --logprobs}): a within-judgment
     * spread that no second judgment measured.
     */
    LOGPROBS("logprobs"),
    /** Some responses' noise is the spread between their judgments, others' a single judgment's spread. */
    MIXED("mixed");

    private final String json;

    NoiseFrom(String json) {
        this.json = json;
    }

    /** The value in {@code summary.json}. */
    public String json() {
        return json;
    }

    /** The origin whose {@link #json()} is {@code text}, or null for none (an unknown value, a newer admap's). */
    public static NoiseFrom parse(String text) {
        for (NoiseFrom n : values()) {
            if (n.json.equals(text)) {
                return n;
            }
        }
        return null;
    }

    /**
     * The origin of a map on the means of its judgments, from the responses whose own standard error
     * the estimate used: {@code repeated} of them judged two or more times, {@code single} once.
     */
    static NoiseFrom ofCounts(long repeated, long single) {
        return single == 0 ? SAMPLES : repeated == 0 ? LOGPROBS : MIXED;
    }
}
