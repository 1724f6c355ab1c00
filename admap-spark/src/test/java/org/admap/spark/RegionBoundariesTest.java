package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.admap.map.RegionAssigner;
import org.admap.model.Region;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Regions from global ranks on Spark equal the core's {@link RegionAssigner} for every size
 * from 1 up, with heavy ties in mean and variance (so the id decides), ids whose string
 * order differs from their UTF-8 byte order, and the points spread over several partitions.
 */
class RegionBoundariesTest {

    private final JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());

    @Test
    void regionsEqualTheCoresAssignerForAllSizesAndTies() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 10, 31, 100, 805}) {
            List<PointStats> points = new ArrayList<>();
            String[] ids = new String[n];
            double[] means = new double[n];
            double[] variances = new double[n];
            for (int i = 0; i < n; i++) {
                // U+FF21 sorts after U+1F600 as a Java string, before it in UTF-8 bytes
                ids[i] = (random.nextBoolean() ? "\uFF21" : "\uD83D\uDE00") + random.nextInt(1_000_000) + "-" + i;
                means[i] = random.nextInt(4) * 0.25;
                variances[i] = random.nextInt(3) * 0.5;
                points.add(new PointStats(i, ids[i], 2, means[i], variances[i], Double.NaN));
            }
            Region[] expected = RegionAssigner.assign(ids, means, variances);
            JavaRDD<PointStats> rdd = sc.parallelize(points, 3);
            RegionBoundaries b = RegionBoundaries.of(rdd);
            Region[] actual = new Region[n];
            for (int i = 0; i < n; i++) {
                actual[i] = b.regionOf(points.get(i));
            }
            assertThat(actual).as("n = %d", n).containsExactly(expected);
            assertThat(b.points()).isEqualTo(n);
        }
    }
}
