package org.admap.internal.inspect;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.admap.ingest.FileSample;
import org.admap.model.Item;

/**
 * What {@code admap inspect} found in a dataset before any run: per input, the layout and
 * why, the field mapping and the rows read; over all of them, the instructions admap would
 * build, how many rows share a prompt, which scores and labels there are, one instruction as
 * admap reads it, and the warnings a map would give.
 *
 * @param maxRows             the bound on rows read per input
 * @param inputs              per input, its sample
 * @param mappings            per input (parallel), where admap found the prompt, responses, scores,
 *                            labels and models in the first row: role to field path
 * @param instructions        instructions built from the rows read
 * @param responses           their responses
 * @param rowsPerPrompt       how many prompts have k rows (k to count)
 * @param responsesPerInstruction how many instructions have k responses (k to count)
 * @param scored              responses with a score
 * @param labelled            responses with a label
 * @param withSamples         responses whose score was a list (samples of one score)
 * @param scoreRange          lowest and highest score, or null
 * @param labelValues         the distinct labels when few (at most 10), else empty
 * @param sample              the first instruction as admap reads it, or null
 * @param warnings            what a map would warn about, or refuse
 */
public record Inspection(long maxRows, List<FileSample> inputs, List<Map<String, String>> mappings,
                         long instructions, long responses, SortedMap<Integer, Long> rowsPerPrompt,
                         SortedMap<Integer, Long> responsesPerInstruction, long scored, long labelled,
                         long withSamples, double[] scoreRange, List<Double> labelValues, Item sample,
                         List<String> warnings) {

    public Inspection {
        inputs = List.copyOf(inputs);
        mappings = List.copyOf(mappings);
        labelValues = List.copyOf(labelValues);
        warnings = List.copyOf(warnings);
    }
}
