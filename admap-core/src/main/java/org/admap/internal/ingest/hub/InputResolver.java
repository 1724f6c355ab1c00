package org.admap.internal.ingest.hub;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.Progress;

/**
 * Turns the inputs of a command line into local files: a path stays as it is; a Hub address
 * ({@code hf://datasets/OWNER/NAME[/PATH][@REVISION]}) becomes the data files of its cached
 * download ({@link HubDataset}), in path order, in its place among the inputs.
 */
public final class InputResolver {

    /**
     * Local files for the inputs, and what came from the Hub.
     *
     * @param files     every input as a local file, in the order given
     * @param downloads one per Hub input
     */
    public record Resolved(List<Path> files, List<HubDataset.Download> downloads) {

        public Resolved {
            files = List.copyOf(files);
            downloads = List.copyOf(downloads);
        }

        /**
         * Provenance of the Hub inputs, for the run's information: one entry per address
         * ({@code input.hub.1} ...) naming each file with its size and hash.
         */
        public Map<String, String> provenance() {
            Map<String, String> info = new LinkedHashMap<>();
            int i = 0;
            for (HubDataset.Download d : downloads) {
                StringBuilder sb = new StringBuilder(d.uri().toString()).append(':');
                for (HubDataset.HubFile f : d.files()) {
                    sb.append(String.format(Locale.ROOT, " %s (%d bytes%s);", f.path(), f.size(),
                            f.sha256() == null ? "" : ", sha256 " + f.sha256()));
                }
                info.put("input.hub." + (++i), sb.toString());
            }
            return info;
        }
    }

    private final HubSettings settings;

    /** @param settings how to reach the Hub, used only when an input is a Hub address */
    public InputResolver(HubSettings settings) {
        this.settings = settings;
    }

    /** Resolves inputs, downloading Hub datasets (or taking them from the cache). */
    public Resolved resolve(List<String> inputs, Progress.Factory progress) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        List<HubDataset.Download> downloads = new ArrayList<>();
        HubDataset hub = null;
        for (String input : inputs) {
            if (HubUri.isHub(input)) {
                if (hub == null) {
                    hub = new HubDataset(settings);
                }
                HubDataset.Download d = hub.fetch(HubUri.parse(input), progress);
                downloads.add(d);
                files.addAll(d.paths());
            } else {
                files.add(Path.of(input));
            }
        }
        return new Resolved(files, downloads);
    }
}
