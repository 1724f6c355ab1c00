package org.admap.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.map.MapJob;
import org.admap.model.MapPoint;
import org.admap.report.MapPlot;
import org.admap.store.InputFileRecord;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap report}: draws a run's map. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Draw the map of a run as a PNG picture.",
        description = {
                "",
                "Writes DIR/map.png: variability (variance) on x, quality (mean) on y, one colour per region, region boundaries dashed, counts in the legend.",
                "",
                "Example:",
                "  admap report run/",
                ""
        })
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the PNG (default DIR/map.png).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.existing(dir);
        Path png = out != null ? out : run.mapPng();
        render(run, png);
        spec.commandLine().getOut().println("wrote " + png);
        return ExitCodes.OK;
    }

    static void render(RunDirectory run, Path png) throws Exception {
        try (RunStore store = RunStore.open(run.store())) {
            String source = MapJob.currentSource(store);
            List<MapPoint> points = store.mapPoints();
            List<InputFileRecord> inputs = store.inputs();
            String dataset = inputs.size() == 1 ? Path.of(inputs.get(0).path()).getFileName().toString()
                    : inputs.size() + " files";
            String subtitle = String.format(Locale.ROOT, "scores: %s    N = %,d instructions", source, points.size());
            MapPlot.writePng(points, "Alignment data map: " + dataset, subtitle, png);
        }
    }
}
