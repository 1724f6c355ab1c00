package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./admap serve} as a user runs it: a separate process on the packaged jar that
 * prints its address, serves, warns when told to listen beyond this machine, and stops
 * cleanly on a signal (SIGTERM here; Ctrl-C's SIGINT runs the same shutdown).
 */
class ServeIT {

    @TempDir
    Path tmp;
    AdmapProcess admap;

    @BeforeEach
    void setUp() {
        admap = new AdmapProcess(tmp);
    }

    private Path demoRun() throws Exception {
        admap.run("demo", "--out", tmp.resolve("run").toString());
        return tmp.resolve("run");
    }

    /** Reads the process's first line and returns the address it printed. */
    private static URI address(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the first line of admap serve").isNotNull();
        Matcher m = Pattern.compile("at (http://\\S+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return URI.create(m.group(1));
    }

    @Test
    void servesTheRunAndStopsCleanlyOnASignal() throws Exception {
        Path run = demoRun();
        Process serve = admap.startReadingStdout("serve", run.toString(), "--port", "0");
        try {
            URI uri = address(serve);
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/static/admap.js");
            assertThat(admap.stderr()).doesNotContain("warning");
            new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("stopped in time").isTrue();
            assertThat(admap.stderr()).contains("admap serve: stopped");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void listeningBeyondThisMachineWarnsAndPrintsTheAddressWithItsToken() throws Exception {
        Path run = demoRun();
        Process serve = admap.startReadingStdout("serve", run.toString(), "--port", "0", "--host", "0.0.0.0");
        try {
            URI printed = address(serve);
            assertThat(admap.stderr())
                    .contains("admap: warning: listening on 0.0.0.0, not on this machine only");
            assertThat(printed.getQuery()).startsWith("token=");
            String token = printed.getQuery().substring("token=".length());
            URI local = URI.create("http://127.0.0.1:" + printed.getPort() + "/api/reviews");
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(local).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(local).header("X-Admap-Token", token).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHalfSentRequestIsClosedAtTheReadDeadline() throws Exception {
        Path run = demoRun();
        Process serve = admap.startReadingStdout("serve", run.toString(), "--port", "0");
        try {
            URI uri = address(serve);
            try (java.net.Socket half = new java.net.Socket(uri.getHost(), uri.getPort())) {
                half.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1:".getBytes(StandardCharsets.US_ASCII));
                half.getOutputStream().flush();
                half.setSoTimeout(120_000); // far beyond the 10 s deadline: a server that never closes fails here
                int read;
                try {
                    read = half.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    read = -1;
                }
                assertThat(read).as("the server closed the half-sent request").isEqualTo(-1);
            }
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAllowHostThatIsNoHostNameIsAUserError() throws Exception {
        Path run = demoRun();
        AdmapProcess.Ended serve = admap.attempt("serve", run.toString(), "--port", "0", "--allow-host",
                "evil.example/x");
        assertThat(serve.exit()).isEqualTo(2);
        assertThat(serve.err())
                .contains("--allow-host evil.example/x: not a host name");
    }

    @Test
    void aRunWithoutAMapIsAClearError() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        AdmapProcess.Ended serve = admap.attempt("serve", tmp.resolve("empty").toString());
        assertThat(serve.exit()).isEqualTo(2);
        assertThat(serve.err()).contains("is not an admap run");
    }
}
