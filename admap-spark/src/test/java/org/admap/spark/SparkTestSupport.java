package org.admap.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.model.Region;
import org.admap.score.Scorer;
import org.apache.spark.sql.SparkSession;

/** What tests in other packages of the module need from this one's test helpers. */
public final class SparkTestSupport {

    private SparkTestSupport() {
    }

    /** The shared local[2] session. */
    public static SparkSession spark() {
        return LocalSpark.get();
    }

    /** The single machine's results after scoring with {@code scorer} as source {@code name}. */
    public static SingleMachineResult singleMachine(List<Path> files, Region region, Path dir, Scorer scorer,
                                                    String name) throws IOException {
        SingleMachine.Result r = SingleMachine.run(files, IngestOptions.defaults(), region, dir, scorer, name);
        return new SingleMachineResult(r.points(), r.flags(), r.pairs().stream().map(Object::toString).toList());
    }

    /** The job's pairs in the single machine's order, as the TRL export would write them. */
    public static List<String> trlPairs(SparkMapped mapped) {
        List<PairRow> pairs = new ArrayList<>(mapped.pairs().collect());
        pairs.sort(Comparator.comparingInt(PairRow::key).thenComparingInt(PairRow::pair));
        return pairs.stream().map(p -> SingleMachine.TrlPair.of(p).toString()).toList();
    }

    /** The single machine's results, in a form visible outside the package. */
    public record SingleMachineResult(List<org.admap.model.MapPoint> points, List<FlagsCsvRow> flags,
                                      List<String> pairs) {
    }
}
