package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import org.admap.ingest.FileSample;
import org.admap.internal.inspect.Inspection;
import org.admap.internal.inspect.InspectionJson;
import org.admap.internal.inspect.Inspector;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.options.IngestFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap inspect}: what admap makes of a dataset, before any run. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Show how admap reads a dataset, before any run.",
        description = {
                "",
                "Reads the first rows of each file (--rows, default 10,000) the way 'admap map' would, with the same " +
                        "options, and writes nothing. Says per file the layout and why (the option or the fields of " +
                        "the first row that decided it), the fields and where admap found the prompt, responses, " +
                        "scores, labels and models; over all files the instructions it would build, rows per prompt, " +
                        "responses per instruction, the scores and labels found, one instruction as admap reads it " +
                        "(texts cut), and the warnings a map would give: no scores and no labels, labels only so " +
                        "that every mean is equal (select refuses such a map), single responses, a field option no " +
                        "row has, tables to join read as datasets, bad rows.",
                "",
                "Exit 0 whatever it finds (its warnings say what a map would refuse); 2 for bad arguments.",
                "",
                "Examples:",
                "  admap inspect prefs.jsonl",
                "  admap inspect evals.csv --prompt-field question --response-field answer --score-field rating",
                "  admap inspect --query \"SELECT ... AS prompt, ... AS response FROM read_json('a.jsonl')\"",
                "  admap inspect data/*.parquet --rows 1000 --json",
                ""
        })
final class InspectCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Data files (none with --query).")
    List<Path> files = new ArrayList<>();

    @Mixin
    IngestFlags ingest;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "10000",
            description = "Rows read per file at most (default ${DEFAULT-VALUE}); the counts are of those.")
    long rows;

    @Option(names = "--json", description = "Print the inspection as one JSON object instead of text.")
    boolean json;

    @Option(names = "--max-chars", paramLabel = "N", defaultValue = "160",
            description = "Characters of each text of the sample shown at most (default ${DEFAULT-VALUE}).")
    int maxChars;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (files.isEmpty() && ingest.query() == null) {
            throw new UserException("inspect what? give data files, or --query SQL");
        }
        if (rows < 1 || maxChars < 1) {
            throw new UserException("--rows and --max-chars must be at least 1");
        }
        Inspection in = Inspector.inspect(files, ingest.query(), ingest.toOptions(), rows);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(InspectionJson.of(in, maxChars).toPrettyString());
        } else {
            print(out, in, maxChars);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, Inspection in, int maxChars) {
        for (int i = 0; i < in.inputs().size(); i++) {
            FileSample s = in.inputs().get(i);
            out.printf(Locale.ROOT, "%s (%s)%n", s.name(), s.format() == null ? "unreadable" : s.format());
            if (s.layout() == null) {
                out.println("  layout: not recognised");
            } else {
                out.println("  layout: " + s.layoutDescription() + ", because " + s.reason());
            }
            if (!s.fields().isEmpty()) {
                out.println("  fields: " + String.join(", ", s.fields()));
            }
            Map<String, String> mapping = in.mappings().get(i);
            if (!mapping.isEmpty()) {
                out.println("  read as: " + String.join("; ", mapping.entrySet().stream()
                        .map(e -> e.getKey() + " <- " + e.getValue()).toList()));
            }
            if (s.layout() != null) {
                out.printf(Locale.ROOT, "  rows read: %,d%s%n", s.rowsRead(), s.complete() ? " (all)"
                        : s.error() != null ? " (up to the error below)" : " (the first; --rows " + in.maxRows() + ")");
            }
        }
        out.printf(Locale.ROOT, "instructions: %,d with %,d responses%n", in.instructions(), in.responses());
        out.println("  responses per instruction: " + histogram(in.responsesPerInstruction(), "instructions"));
        out.println("  rows per prompt: " + histogram(in.rowsPerPrompt(), "prompts"));
        out.printf(Locale.ROOT, "scores: %,d of %,d responses%s%s%n", in.scored(), in.responses(),
                in.scoreRange() == null ? "" : String.format(Locale.ROOT, " (range %s .. %s)",
                        num(in.scoreRange()[0]), num(in.scoreRange()[1])),
                in.withSamples() == 0 ? "" : String.format(Locale.ROOT, "; %,d given as lists of samples",
                        in.withSamples()));
        out.printf(Locale.ROOT, "labels: %,d of %,d responses%s%n", in.labelled(), in.responses(),
                in.labelValues().isEmpty() || in.labelled() == 0 ? "" : " (values " + String.join(", ",
                        in.labelValues().stream().map(InspectCommand::num).toList()) + ")");
        Item item = in.sample();
        if (item != null) {
            out.println("sample, as admap reads it (" + item.source() + "):");
            out.println("  id: " + item.id());
            out.println("  prompt: " + InspectionJson.cut(item.prompt(), maxChars));
            if (!item.input().isEmpty()) {
                out.println("  input: " + InspectionJson.cut(item.input(), maxChars));
            }
            int k = 1;
            for (Response r : item.responses()) {
                List<String> facts = new ArrayList<>();
                if (r.hasScore()) {
                    facts.add("score " + num(r.score()) + (r.samples().isEmpty() ? ""
                            : " = mean of " + r.samples().stream().map(InspectCommand::num).toList()));
                }
                if (r.hasLabel()) {
                    facts.add("label " + num(r.label()));
                }
                if (r.model() != null) {
                    facts.add("model " + r.model());
                }
                out.println("  response " + k++ + (facts.isEmpty() ? "" : " (" + String.join(", ", facts) + ")")
                        + ": " + InspectionJson.cut(r.text(), maxChars));
            }
        }
        if (in.warnings().isEmpty()) {
            out.println("no warnings");
        } else {
            out.println("warnings:");
            in.warnings().forEach(w -> out.println("  - " + w));
        }
    }

    /** {@code 2: 500, 3: 12 (k: instructions)}. */
    private static String histogram(SortedMap<Integer, Long> h, String of) {
        if (h.isEmpty()) {
            return "none";
        }
        return String.join(", ", h.entrySet().stream().map(e -> String.format(Locale.ROOT, "%d: %,d", e.getKey(),
                e.getValue())).toList()) + " (k: " + of + ")";
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
