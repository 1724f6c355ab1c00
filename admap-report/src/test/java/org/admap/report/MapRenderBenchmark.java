package org.admap.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the static map takes to draw, and to draw, encode and write, for 50 to 1,000,000 points, as PNG
 * (2400 x 1800) and SVG. Prints a table (the median of three runs after a warm-up);
 * asserts nothing about time. Not part of the test suite (the name does not match
 * surefire's patterns); run it with
 * {@code mvn -pl admap-report -am test -Dtest=MapRenderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MapRenderBenchmark {

    @TempDir
    Path dir;

    /** A map shaped like a real one, regions by rank. */
    static List<MapPoint> points(int n) {
        SplittableRandom random = new SplittableRandom(7);
        double[] mean = new double[n];
        double[] var = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            mean[i] = 2 + 7 * random.nextDouble();
            var[i] = Math.pow(random.nextDouble(), 2) * 9;
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(var[a], var[b]));
        Region[] region = new Region[n];
        int cut = 2 * n / 3;
        Integer[] rest = java.util.Arrays.copyOf(order, cut);
        java.util.Arrays.sort(rest, (a, b) -> Double.compare(mean[a], mean[b]));
        for (int i = 0; i < cut; i++) {
            region[rest[i]] = i < cut / 2 ? Region.LOW_AVG : Region.HIGH_AVG;
        }
        for (int i = cut; i < n; i++) {
            region[order[i]] = Region.HIGH_VAR;
        }
        List<MapPoint> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new MapPoint(i, "id" + i, 4, mean[i], var[i], Math.sqrt(var[i]), region[i], Double.NaN));
        }
        return list;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void renderTimes() throws Exception {
        System.out.printf(Locale.ROOT, "%10s %14s %14s %12s %14s%n", "points", "png draw (s)", "png total (s)",
                "png MB", "svg write (s)");
        for (int n : new int[] {50, 10_000, 100_000, 1_000_000}) {
            List<MapPoint> pts = points(n);
            MapPlot.Figure figure = new MapPlot.Figure("benchmark", n + " points", pts, Coloring.byRegion(pts));
            Path png = dir.resolve("map.png");
            Path svg = dir.resolve("map.svg");
            MapPlot.writePng(figure, png, MapPlot.PNG_SCALE); // warm-up
            double[] draw = new double[3];
            double[] write = new double[3];
            double[] svgs = new double[3];
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                MapPlot.render(figure, MapPlot.PNG_SCALE);
                draw[r] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                MapPlot.writePng(figure, png, MapPlot.PNG_SCALE);
                write[r] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                MapPlot.writeSvg(figure, svg);
                svgs[r] = (System.nanoTime() - t0) / 1e9;
            }
            System.out.printf(Locale.ROOT, "%,10d %14.3f %14.3f %12.2f %14.3f%n", n, median(draw), median(write),
                    Files.size(png) / 1048576.0, median(svgs));
        }
    }
}
