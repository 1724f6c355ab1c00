package org.admap.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint a score was made at, as a reuse key. */
class EndpointTest {

    @Test
    void spellingsOfOneServerAreOneKeyAndTheKeyCarriesNoCredential() {
        assertThat(Endpoint.key("HTTPS://API.OpenAI.com/v1/")).isEqualTo("https://api.openai.com:443/v1");
        assertThat(Endpoint.key("https://api.openai.com:443/v1")).isEqualTo("https://api.openai.com:443/v1");
        assertThat(Endpoint.key("http://user:secret@localhost:8000/v1?api-key=k#x"))
                .isEqualTo("http://localhost:8000/v1");
        assertThat(Endpoint.key("in-process")).isEqualTo("in-process");
        assertThat(Endpoint.key(null)).isEmpty();
    }

    @Test
    void anotherPortHostOrPathIsAnotherServerButABatchOfTheServerIsTheServer() {
        assertThat(Endpoint.same("http://localhost:8000/v1/", "http://LOCALHOST:8000/v1")).isTrue();
        assertThat(Endpoint.same("http://localhost:8001/v1", "http://localhost:8000/v1")).isFalse();
        assertThat(Endpoint.same("http://127.0.0.1:8000/v1", "http://localhost:8000/v1")).isFalse();
        assertThat(Endpoint.same("http://localhost:8000/v2", "http://localhost:8000/v1")).isFalse();
        assertThat(Endpoint.same("https://api.openai.com/v1/batches/batch_1", "https://api.openai.com/v1")).isTrue();
        assertThat(Endpoint.same("https://api.openai.com/v1", "in-process")).isFalse();
    }

    @Test
    void theFingerprintStaysWhatEarlierAdmapWroteSoThatTheirScoresAreStillFound() {
        ScorerConfig atA = ScorerConfig.of("judge", "m", "v1", Map.of("seed", "1"), "http://a:1/v1");
        ScorerConfig atB = ScorerConfig.of("judge", "m", "v1", Map.of("seed", "1"), "http://b:2/v1");
        assertThat(atA.fingerprint()).isEqualTo(atB.fingerprint());
        assertThat(atA.endpointKey()).isNotEqualTo(atB.endpointKey());
    }
}
