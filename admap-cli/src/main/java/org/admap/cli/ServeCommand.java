package org.admap.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ViewData;
import org.admap.run.Run;
import org.admap.web.ViewerAccess;
import org.admap.web.ViewerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap serve}: the local web viewer of a run. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Look at a run in the browser: the interactive map, every instruction, review and export.",
        description = {
                "",
                "Serves the interactive map of report.html from the run (a scanned run from its columns, its store " +
                        "built only when the first review needs it), with what only a live viewer can do: " +
                        "read every instruction in full, search all prompts, page through the flagged ones, mark " +
                        "instructions reviewed / keep / drop (stored in the run; 'admap select' leaves out those " +
                        "marked drop), and export a region, a box or a lasso of points as DPO pairs in the formats " +
                        "of 'admap select' (written to DIR/exports/ and offered for download).",
                "",
                "Listens on 127.0.0.1 only, unless --host says otherwise. On every address the viewer answers only " +
                        "requests that name it (the Host header: no DNS rebinding from a web page): 127.0.0.1, " +
                        "localhost, this machine's addresses and the names given with --allow-host. Off loopback it " +
                        "also asks for a random access token, printed in its address at start (opening that address " +
                        "sets it as a cookie); anyone with the token can read and change the run. Ctrl-C stops it.",
                "",
                "Examples:",
                "  admap serve run/                      http://127.0.0.1:8765/",
                "  admap serve run/ --port 9000",
                "  admap serve run/ --host 0.0.0.0 --allow-host myhost.lan",
                "  admap serve run/ --allow-host localhost:9000    (behind ssh -L 9000:localhost:8765)",
                ""
        })
final class ServeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Option(names = {"-p", "--port"}, paramLabel = "P", defaultValue = "8765",
            description = "The port (default ${DEFAULT-VALUE}; 0: any free one).")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "Also answer requests to this host name: NAME on the viewer's port, or NAME:PORT as seen"
                    + " through a tunnel or proxy. Repeatable.")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--max-points", paramLabel = "N", defaultValue = "250000",
            description = "Points on the map at most; beyond, every flagged one and a seeded sample"
                    + " (default ${DEFAULT-VALUE}).")
    int maxPoints;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ViewerServer.useReadDeadlines(); // before any HTTP server of this process starts
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be in 0..65535, got " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new UserException("--host " + host + ": unknown host");
        }
        for (String name : allowHosts) {
            try {
                ViewerAccess.checkedName(name);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
        }
        // A scanned run is served from its columns: its store is built only when a review or an
        // export first needs it (saying so then), not before the viewer starts.
        RunDirectory run = Run.openDeferred(dir, org.admap.Progress.Factory.NONE).directory();
        if (!address.isLoopbackAddress()) {
            err.println("admap: warning: listening on " + host + ", not on this machine only: anyone who can reach"
                    + " port " + port + " and has the access token in the address below can read every instruction"
                    + " and response of this run, mark them and export them (plain HTTP: the token crosses the"
                    + " network unencrypted). Use the default 127.0.0.1 (and an SSH tunnel) unless that is what"
                    + " you want.");
            err.flush();
        }
        ViewData.Options options = new ViewData.Options(maxPoints, 0, 0, ViewData.Options.forServe().maxTextChars(),
                true);
        ViewerServer server;
        try {
            server = ViewerServer.start(run, host, port, options, allowHosts, TerminalProgress.forStderr(false),
                    line -> {
                        err.println(line);
                        err.flush();
                    });
        } catch (BindException e) {
            throw new UserException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): choose another port with --port");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            err.println("admap serve: stopped");
            err.flush();
            stopped.countDown();
        }, "admap-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("admap serve: " + run.dir() + " at " + server.uriWithToken() + "  (Ctrl-C stops)");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
