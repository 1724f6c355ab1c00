package org.admap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.admap.RealData;
import org.admap.ingest.IngestOptions;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input on a file system other than the local one is copied to the executor and read by
 * the core's reader like a local file: here Hadoop's {@code http:} file system, served by a
 * server on 127.0.0.1, standing in for {@code s3a:} or {@code hdfs:}. Bad input in it is
 * reported under the URI the user gave, not the local copy's path.
 */
class RemoteInputTest {

    @TempDir
    Path dir;

    private static HttpServer serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    void aFileOverHttpGivesTheSameMapAsTheLocalFile() throws IOException {
        Files.copy(RealData.demo(), dir.resolve("demo.jsonl"));
        HttpServer server = serve(dir);
        try {
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/demo.jsonl";
            SingleMachine.Result expected = SingleMachine.run(List.of(RealData.demo()), IngestOptions.defaults(),
                    Region.HIGH_AVG, dir.resolve("single"));
            SparkMapped mapped = SparkMapJob.map(LocalSpark.get(),
                    SparkMapOptions.defaults(List.of(uri), dir.resolve("out").toString()));
            try {
                List<MapPoint> points = new ArrayList<>(mapped.map().collect().stream().map(MapRow::toMapPoint)
                        .toList());
                points.sort(Comparator.comparingInt(MapPoint::key));
                assertThat(points).hasSize(50).containsExactlyElementsOf(expected.points());
                assertThat(mapped.result().files()).containsExactly(uri);
            } finally {
                mapped.release();
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBadRowInARemoteFileIsReportedUnderItsUri() throws IOException {
        Files.writeString(dir.resolve("bad.jsonl"), "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\"}]}\n"
                + "{\"prompt\": \"q\", \"responses\": [{\"text\": \"a\", \"score\": \"abc\"}]}\n");
        HttpServer server = serve(dir);
        try {
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/bad.jsonl";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkMapJob.map(LocalSpark.get(),
                            SparkMapOptions.defaults(List.of(uri), dir.resolve("out").toString())))
                    .hasStackTraceContaining(uri + ":2: field 'responses[0].score'");
        } finally {
            server.stop(0);
        }
    }
}
