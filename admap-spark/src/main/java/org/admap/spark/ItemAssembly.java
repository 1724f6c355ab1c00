package org.admap.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.admap.model.RepeatedIds;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Turns the rows read from all files into the instructions a single machine's run store
 * would hold, with the same ids and keys:
 * <ul>
 *   <li>one-row-per-response files ({@code long} layout, AlpacaEval): rows with the same id
 *       are merged into one instruction, its responses in input order, its prompt from the
 *       first row;</li>
 *   <li>other layouts: an id seen before makes a second instruction, renamed {@code id#2},
 *       {@code id#3}, ... in input order (as the core's {@code ItemWriter} does);</li>
 *   <li>keys: the position of each instruction's first row in input order.</li>
 * </ul>
 * A job whose files mix the two kinds is refused: the single-machine rule for that case
 * depends on the order rows are met in, which a distributed merge cannot reproduce cheaply.
 * The renaming collects only the repeated ids (and ids that look like {@code x#2}) on the
 * driver, so it costs driver memory in proportion to the repetitions, not to the data.
 */
public final class ItemAssembly {

    private static final Pattern SUFFIXED = Pattern.compile(".*#\\d+");

    private ItemAssembly() {
    }

    /**
     * Assembles the instructions.
     *
     * @param rows the rows, partitions in input order (file by file, a file's splits in file order), each
     *             holding its rows in order (as {@link SparkMapJob} reads them)
     * @return the instructions, partitions in key order, and how many ids were renamed
     */
    public static Assembled assemble(JavaSparkContext sc, JavaRDD<InputRow> rows) {
        List<Boolean> kinds = rows.map(InputRow::groupsRows).distinct().collect();
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("the input holds no rows");
        }
        if (kinds.size() > 1) {
            throw new IllegalArgumentException("the input mixes one-row-per-response files (long layout) with"
                    + " files of one row per instruction; map them in separate jobs");
        }
        if (kinds.get(0)) {
            return new Assembled(keyed(merged(rows), true), 0);
        }
        Map<InputOrder, String> renames = renames(rows);
        Broadcast<Map<InputOrder, String>> renamed = sc.broadcast(renames);
        JavaPairRDD<InputOrder, ItemParts> ordered = rows.mapToPair(r -> new Tuple2<>(r.order(), new ItemParts(
                renamed.value().getOrDefault(r.order(), r.id()), r.prompt(), r.input(), r.reference(),
                r.responses())));
        return new Assembled(keyed(ordered, false), renames.size());
    }

    /**
     * The assembled instructions.
     *
     * @param items      the instructions, partitions in key order
     * @param renamedIds how many instructions took a new id ({@code id#2}, ...) because theirs was taken
     */
    public record Assembled(JavaRDD<KeyedItem> items, long renamedIds) {
    }

    /** An instruction before its key is known. */
    record ItemParts(String id, String prompt, String input, String reference, List<ResponseRow> responses)
            implements java.io.Serializable {
    }

    private static JavaPairRDD<InputOrder, ItemParts> merged(JavaRDD<InputRow> rows) {
        return rows.mapToPair(r -> new Tuple2<>(r.id(), r)).groupByKey().mapToPair(group -> {
            List<InputRow> parts = new ArrayList<>();
            group._2().forEach(parts::add);
            parts.sort(Comparator.comparing(InputRow::order));
            InputRow first = parts.get(0);
            List<ResponseRow> responses = new ArrayList<>();
            for (InputRow p : parts) {
                responses.addAll(p.responses());
            }
            return new Tuple2<>(first.order(), new ItemParts(group._1(), first.prompt(), first.input(),
                    first.reference(), responses));
        });
    }

    /** The new id of every row whose id an earlier row took, by the row's input position. */
    private static Map<InputOrder, String> renames(JavaRDD<InputRow> rows) {
        Set<String> repeated = new HashSet<>(rows.mapToPair(r -> new Tuple2<>(r.id(), 1L))
                .reduceByKey(Long::sum).filter(t -> t._2() > 1).keys().collect());
        Broadcast<Set<String>> repeatedIds = JavaSparkContext.fromSparkContext(rows.context()).broadcast(repeated);
        // Every row whose id could take part in a renaming, in input order: the repeated ids and
        // ids that already carry a '#n' suffix a renaming could collide with.
        List<Tuple2<InputOrder, String>> candidates = new ArrayList<>(rows
                .filter(r -> repeatedIds.value().contains(r.id()) || SUFFIXED.matcher(r.id()).matches())
                .map(r -> new Tuple2<>(r.order(), r.id())).collect());
        candidates.sort(Comparator.comparing(Tuple2::_1));
        Map<InputOrder, String> renames = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> nextCopy = new HashMap<>();
        for (Tuple2<InputOrder, String> c : candidates) {
            String id = c._2();
            if (seen.contains(id)) {
                id = RepeatedIds.rename(id, seen::contains, nextCopy); // linear, as the store's writer
                renames.put(c._1(), id);
            }
            seen.add(id);
        }
        return renames;
    }

    private static JavaRDD<KeyedItem> keyed(JavaPairRDD<InputOrder, ItemParts> items, boolean shuffled) {
        // Unmerged rows are already in input order (partitions are the splits in order); merged ones are not.
        JavaPairRDD<InputOrder, ItemParts> inOrder = shuffled ? items.sortByKey() : items;
        return inOrder.values().zipWithIndex().map(t -> {
            if (t._2() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " instructions: admap's keys"
                        + " are 32-bit; split the input");
            }
            ItemParts p = t._1();
            return new KeyedItem(t._2().intValue(), p.id(), p.prompt(), p.input(), p.reference(), p.responses());
        });
    }
}
