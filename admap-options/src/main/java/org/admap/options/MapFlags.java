package org.admap.options;

import picocli.CommandLine.Option;

/**
 * The options of the map itself that the command line's {@code admap map} and the Spark job
 * share: which scores it is built on.
 */
public final class MapFlags {

    @Option(names = "--scores", paramLabel = "SOURCE",
            description = "The scores to map: input (the data's own scores; the default when it has any),"
                    + " labels (the data's labels as scores), a source the data named (--score-field NAME=FIELD;"
                    + " the first is the default when the data has no input scores), or a scorer's source.")
    String scores;

    /** The score source named, or null for the default (the data's scores, else its labels). */
    public String scores() {
        return scores;
    }
}
