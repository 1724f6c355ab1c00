package org.admap.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The Jackson mappers admap shares, one per configuration. An {@link ObjectMapper} is costly to
 * make (it builds and caches its serializers) and thread-safe once configured, so every class
 * that reads or writes JSON the same way uses the same instance, and a configuration lives in
 * one place. Never reconfigure one of these: derive an {@link com.fasterxml.jackson.databind.ObjectWriter}
 * or {@link com.fasterxml.jackson.databind.ObjectReader} from it instead.
 *
 * <p>Readers with rules of their own keep their own mapper beside the code they serve: the
 * input data's ({@code org.admap.ingest.JsonSupport}: NaN, duplicate keys, deep nesting) and
 * the judge answers' (lenient JSON: single quotes, trailing commas, comments).
 */
public final class Json {

    /** Jackson's defaults: compact output, standard JSON in. Requests, answers, one-line records. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Indented output, for the files people read as much as programs do: summary.json,
     * diagnosis.json, the provenance files, dataset_info.json.
     */
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Compact, without Jackson's cap on one string's length (20 MB): the store's JSON columns
     * (a conversation's turns, images as data URLs) hold whatever the input held.
     */
    public static final ObjectMapper UNLIMITED_STRINGS = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());

    private Json() {
    }
}
