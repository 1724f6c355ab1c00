package org.admap.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.admap.internal.store.RunStore;

/**
 * The choices of {@code score --adaptive}'s rounds kept in the run store's provenance entries
 * ({@link RunStore#putInfo}), one entry per round, keyed by the source and the settings that
 * decide a choice ({@code --samples} and {@code --adaptive-threshold}): a rerun with the same
 * settings replays them, one with other settings chooses afresh. Written before a round's first
 * call, so a kill in the round leaves its choice behind.
 */
public final class AdaptiveChoices implements AdaptiveSampling.Choices {

    private final RunStore store;
    private final String prefix;

    public AdaptiveChoices(RunStore store, String source, AdaptiveSampling.AdaptiveSettings settings) {
        this.store = store;
        this.prefix = String.format(Locale.ROOT, "adaptive.%s.samples-%d.threshold-%s.round-", source,
                settings.initialSamples(), Double.toString(settings.threshold()));
    }

    @Override
    public List<Integer> recorded(int round) {
        Optional<String> v = store.info(prefix + round);
        if (v.isEmpty()) {
            return null;
        }
        List<Integer> keys = new ArrayList<>();
        for (String k : v.get().split(",")) {
            if (!k.isBlank()) {
                try {
                    keys.add(Integer.parseInt(k.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("run store " + store.file() + ": run info " + prefix + round
                            + " is not a list of instruction keys: " + v.get(), e);
                }
            }
        }
        return keys;
    }

    @Override
    public void record(int round, List<Integer> chosen) {
        store.putInfo(prefix + round, chosen.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
}
