package org.admap.score.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates put the prompt in, end with the response, and refuse what cannot be scored. */
class LikelihoodTemplateTest {

    @TempDir
    Path dir;

    @Test
    void presetsRenderAsTheModelsExpect() {
        assertThat(LikelihoodTemplate.parse("plain").render("Why?", "Because.")).isEqualTo("Why?Because.");
        assertThat(LikelihoodTemplate.parse("ChatML").render("Why?", "Because."))
                .isEqualTo("<|im_start|>user\nWhy?<|im_end|>\n<|im_start|>assistant\nBecause.");
        assertThat(LikelihoodTemplate.parse("llama3").prefix("Why?")).isEqualTo(
                "<|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|><|start_header_id|>assistant"
                        + "<|end_header_id|>\n\n");
    }

    @Test
    void bracesInTheDataAreNeverPlaceholders() {
        assertThat(LikelihoodTemplate.PLAIN.render("say {response}", "{prompt}")).isEqualTo("say {response}{prompt}");
    }

    @Test
    void aFileTemplateDropsItsFinalNewlineAndItsTextIsPartOfTheFingerprint() throws Exception {
        Path f = dir.resolve("alpaca.txt");
        Files.writeString(f, "### Instruction:\n{prompt}\n\n### Response:\n{response}\n");
        LikelihoodTemplate t = LikelihoodTemplate.parse(f.toString());
        assertThat(t.name()).isEqualTo("file:alpaca.txt");
        assertThat(t.render("Hi", "Hello")).isEqualTo("### Instruction:\nHi\n\n### Response:\nHello");
        Files.writeString(f, "### Instruction:\n{prompt}\n### Response:\n{response}\n");
        assertThat(LikelihoodTemplate.parse(f.toString()).hash()).isNotEqualTo(t.hash());
    }

    @Test
    void templatesThatCannotBeScoredAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new LikelihoodTemplate("t", "{prompt}{response}<|im_end|>"))
                .hasMessageContaining("text after {response}").hasMessageContaining("<|im_end|>");
        assertThatThrownBy(() -> new LikelihoodTemplate("t", "{prompt}")).hasMessageContaining("{response}");
        assertThatThrownBy(() -> new LikelihoodTemplate("t", "Q {response}")).hasMessageContaining("{prompt}");
        assertThatThrownBy(() -> new LikelihoodTemplate("t", "{prompt}{prompt}{response}"))
                .hasMessageContaining("exactly once");
        assertThatThrownBy(() -> LikelihoodTemplate.parse(dir.resolve("none.txt").toString()))
                .hasMessageContaining("neither a preset");
    }
}
