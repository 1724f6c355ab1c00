package org.admap.internal.ingest.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The pieces of the Hub's HTTP that decide where the token goes and how a URL is spelled. */
class HubHttpTest {

    @Test
    void theOriginIsSchemeHostAndPortWithDefaultPorts() {
        URI hub = URI.create("https://huggingface.co");
        assertThat(HubHttp.sameOrigin(URI.create("https://HuggingFace.co:443/api/x"), hub)).isTrue();
        assertThat(HubHttp.sameOrigin(URI.create("http://huggingface.co/api/x"), hub)).isFalse();
        assertThat(HubHttp.sameOrigin(URI.create("https://cdn-lfs.huggingface.co/x"), hub)).isFalse();
        assertThat(HubHttp.sameOrigin(URI.create("https://huggingface.co:8443/x"), hub)).isFalse();
    }

    @Test
    void pathSegmentsAreEncodedAndTheSlashesKept() {
        assertThat(HubHttp.encodePath("data/train part+1.jsonl")).isEqualTo("data/train%20part%2B1.jsonl");
        assertThat(HubHttp.encode("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
    }
}
