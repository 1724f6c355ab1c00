package org.admap.cli;

import java.net.URI;
import java.nio.file.Path;
import org.admap.internal.ingest.hub.HubSettings;
import org.admap.internal.ingest.hub.InputResolver;
import picocli.CommandLine.Option;

/**
 * How {@code hf://datasets/...} inputs reach the Hugging Face Hub, for every command that
 * reads inputs. The token comes from {@code HF_TOKEN} only (never an option: it would show
 * in shell histories and process lists), the cache from {@code ADMAP_CACHE}.
 */
final class HubFlags {

    @Option(names = "--hf-endpoint", paramLabel = "URL", defaultValue = "${env:HF_ENDPOINT:-https://huggingface.co}",
            description = "hf:// inputs: the Hub's address (default $HF_ENDPOINT, else https://huggingface.co), for"
                    + " mirrors. A gated or private dataset needs HF_TOKEN.")
    String endpoint;

    @Option(names = "--hf-cache", paramLabel = "DIR",
            description = "hf:// inputs: where downloads are kept (default $ADMAP_CACHE/hub, else"
                    + " ~/.cache/admap/hub).")
    Path cache;

    /** A resolver of inputs with these settings. */
    InputResolver resolver() {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new UserException("--hf-endpoint '" + endpoint + "' is not a URL such as https://huggingface.co");
        }
        return new InputResolver(HubSettings.of(uri, System.getenv("HF_TOKEN"),
                cache != null ? cache : HubSettings.defaultCache(System.getenv())));
    }
}
