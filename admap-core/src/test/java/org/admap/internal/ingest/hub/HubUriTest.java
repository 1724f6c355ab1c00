package org.admap.internal.ingest.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HubUriTest {

    @Test
    void readsOwnerNamePathAndRevisionInBothPlaces() {
        assertThat(HubUri.parse("hf://datasets/o/n")).isEqualTo(new HubUri("o", "n", "", "main"));
        assertThat(HubUri.parse("hf://datasets/o/n/")).isEqualTo(new HubUri("o", "n", "", "main"));
        assertThat(HubUri.parse("hf://datasets/o/n/data/train")).isEqualTo(new HubUri("o", "n", "data/train", "main"));
        assertThat(HubUri.parse("hf://datasets/o/n/data/x.parquet@v2"))
                .isEqualTo(new HubUri("o", "n", "data/x.parquet", "v2"));
        assertThat(HubUri.parse("hf://datasets/o/n@v2")).isEqualTo(new HubUri("o", "n", "", "v2"));
        assertThat(HubUri.parse("hf://datasets/o/n@refs%2Fconvert%2Fparquet/default"))
                .isEqualTo(new HubUri("o", "n", "default", "refs/convert/parquet"));
        assertThat(HubUri.parse("hf://datasets/o/n/default@refs/convert/parquet"))
                .isEqualTo(new HubUri("o", "n", "default", "refs/convert/parquet"));
        assertThat(HubUri.parse("hf://datasets/HuggingFaceH4/ultrafeedback_binarized").toString())
                .isEqualTo("hf://datasets/HuggingFaceH4/ultrafeedback_binarized@main");
    }

    @Test
    void tellsHubAddressesFromFiles() {
        assertThat(HubUri.isHub("hf://datasets/o/n")).isTrue();
        assertThat(HubUri.isHub("data/hf.jsonl")).isFalse();
    }

    @Test
    void refusesWhatIsNotADatasetAddressSayingTheForm() {
        assertThatThrownBy(() -> HubUri.parse("hf://models/o/n")).hasMessageContaining("hf://datasets/OWNER/NAME");
        assertThatThrownBy(() -> HubUri.parse("hf://datasets/o")).hasMessageContaining("hf://datasets/OWNER/NAME");
        assertThatThrownBy(() -> HubUri.parse("hf://datasets/o/n/../x")).hasMessageContaining("not a path");
        assertThatThrownBy(() -> HubUri.parse("hf://datasets/o/n@")).hasMessageContaining("empty revision");
        assertThatThrownBy(() -> HubUri.parse("hf://datasets/o w/n")).hasMessageContaining("not a Hub dataset name");
    }
}
