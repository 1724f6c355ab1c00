package org.admap.internal.ingest.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listing's paging (the whole listing is tested against a stand-in Hub in {@link HubDatasetTest}). */
class HubListingTest {

    @Test
    void theNextListingPageIsTheLinkHeadersNextRelation() {
        URI current = URI.create("http://127.0.0.1:9/api/datasets/o/n/tree/main?recursive=true");
        HttpHeaders next = HttpHeaders.of(Map.of("Link",
                List.of("<http://127.0.0.1:9/api/datasets/o/n/tree/main?cursor=abc>; rel=\"next\"")), (k, v) -> true);
        assertThat(HubListing.nextPage(next, current))
                .isEqualTo(URI.create("http://127.0.0.1:9/api/datasets/o/n/tree/main?cursor=abc"));
        HttpHeaders relative = HttpHeaders.of(Map.of("Link", List.of("</page2>; rel=next")), (k, v) -> true);
        assertThat(HubListing.nextPage(relative, current)).isEqualTo(URI.create("http://127.0.0.1:9/page2"));
        HttpHeaders none = HttpHeaders.of(Map.of("Link", List.of("<http://x/prev>; rel=\"prev\"")), (k, v) -> true);
        assertThat(HubListing.nextPage(none, current)).isNull();
    }
}
