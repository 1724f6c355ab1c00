package org.admap.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing the encoder while another thread is inside the model: the close waits for the
 * batches in flight (freeing the native session under one crashes the JVM), and no batch
 * starts after it.
 */
class SentenceEncoderCloseTest {

    @Test
    void closeWaitsForTheTextsBeingEmbeddedAndRefusesLaterOnes() throws Exception {
        SentenceEncoder encoder = new SentenceEncoder(LocalModel.ALL_MINILM_L6_V2, 1);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 12 * SentenceEncoder.BATCH; i++) {
            texts.add("Sentence number " + i + " is about the weather on day " + i + " of a long and rainy year.");
        }
        CompletableFuture<SentenceEncoder.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return encoder.encode(texts);
            } catch (ai.onnxruntime.OrtException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (encoder.inFlight() == 0 && !running.isDone()) {
            Thread.onSpinWait();
        }
        assertThat(encoder.inFlight()).as("a thread is inside the model").isPositive();
        encoder.close();
        assertThat(running).as("the close waited for the texts being embedded").isDone();

        SentenceEncoder.Result result = running.get(1, TimeUnit.SECONDS);
        assertThat(result.vectors()).hasNumberOfRows(texts.size());
        assertThat(List.of(result.vectors())).allSatisfy(v -> assertThat(v).hasSize(384));
        assertThatThrownBy(() -> encoder.encode(List.of("one more"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        encoder.close(); // twice: nothing
    }
}
