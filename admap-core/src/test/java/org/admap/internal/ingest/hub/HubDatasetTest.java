package org.admap.internal.ingest.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.map.MapJob;
import org.admap.internal.score.http.RetryPolicy;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.stats.Correlation;
import org.admap.testing.HubFixture;
import org.admap.testing.StandInServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDatasetTest {

    static final String REPO = "acme/prefs";
    static final String TOKEN = "hf_TestTokenForGatedData0123456789";
    private static final String TRAIN = "/datasets/acme/prefs/resolve/main/data/train.jsonl";
    private static final String TEST = "/datasets/acme/prefs/resolve/main/data/test.parquet";

    @TempDir
    Path tmp;
    Path repo;
    Path cache;
    StandInServer server;

    @BeforeEach
    void start() throws Exception {
        repo = HubFixture.preferenceDataset(tmp.resolve("repo"));
        cache = tmp.resolve("cache");
        server = StandInServer.start().hubDataset(REPO, repo);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HubDataset hub(String token) {
        return new HubDataset(new HubSettings(URI.create(server.root()), token, cache,
                new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofSeconds(10)));
    }

    private HubDataset.Download fetch(String uri) throws Exception {
        return hub(null).fetch(HubUri.parse(uri), Progress.Factory.NONE);
    }

    private List<Path> cacheFiles() throws Exception {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(cache)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void downloadsTheDataFilesIntoTheCacheAndTheyMapLikeLocalFiles() throws Exception {
        HubDataset.Download d = fetch("hf://datasets/acme/prefs");

        assertThat(d.files()).extracting(HubDataset.HubFile::path)
                .containsExactly("data/test.parquet", "data/train.jsonl");
        assertThat(d.files()).allMatch(HubDataset.HubFile::downloaded);
        Path root = cache.resolve("datasets/acme/prefs/main");
        assertThat(d.paths()).containsExactly(root.resolve("data/test.parquet").toAbsolutePath(),
                root.resolve("data/train.jsonl").toAbsolutePath());
        for (HubDataset.HubFile f : d.files()) {
            assertThat(f.local()).hasSameBinaryContentAs(repo.resolve(f.path()));
        }
        assertThat(cacheFiles()).noneMatch(p -> p.toString().endsWith(".part"));

        try (RunStore store = RunStore.create(tmp.resolve("run.duckdb"))) {
            Ingest.run(d.paths(), IngestOptions.defaults(), store, Progress.Factory.NONE);
            assertThat(store.itemCount()).isEqualTo(HubFixture.ITEMS);
            AlignmentMap map = MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            assertThat(map.points()).hasSize(HubFixture.ITEMS);
        }
    }

    @Test
    void aBrokenConnectionIsResumedWithARangeRequestAndTheFileVerified() throws Exception {
        assertThat(Files.size(repo.resolve("data/test.parquet"))).isGreaterThan(300);
        server.hubLfs(true).dropDownloadsAfter(300);
        HubDataset.Download d = fetch("hf://datasets/acme/prefs/data");

        assertThat(server.hubRanges()).containsExactlyInAnyOrder("bytes=300-", "bytes=300-");
        assertThat(server.requests(TRAIN)).isEqualTo(2);
        assertThat(server.requests(TEST)).isEqualTo(2);
        for (HubDataset.HubFile f : d.files()) {
            assertThat(f.local()).hasSameBinaryContentAs(repo.resolve(f.path()));
            assertThat(f.sha256()).hasSize(64);
        }
    }

    @Test
    void aStalledDownloadTimesOutAndIsResumed() throws Exception {
        server.stallDownloadsAfter(300, 5_000);
        HubDataset quickToGiveUp = new HubDataset(new HubSettings(URI.create(server.root()), null, cache,
                new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofMillis(300)));
        HubDataset.Download d = quickToGiveUp.fetch(HubUri.parse("hf://datasets/acme/prefs/data/train.jsonl"),
                Progress.Factory.NONE);
        assertThat(server.hubRanges()).containsExactly("bytes=300-");
        assertThat(d.files().get(0).local()).hasSameBinaryContentAs(repo.resolve("data/train.jsonl"));
    }

    @Test
    void aSecondFetchDownloadsNothing() throws Exception {
        server.hubLfs(true);
        fetch("hf://datasets/acme/prefs");
        int downloads = server.requests(TRAIN) + server.requests(TEST);

        HubDataset.Download again = fetch("hf://datasets/acme/prefs");

        assertThat(server.requests(TRAIN) + server.requests(TEST)).isEqualTo(downloads);
        assertThat(again.downloadedCount()).isZero();
        assertThat(again.files()).allSatisfy(f -> assertThat(f.local()).hasSameBinaryContentAs(repo.resolve(f.path())));
    }

    @Test
    void aCachedFileThatNoLongerMatchesItsHashIsDownloadedAgain() throws Exception {
        HubDataset.Download first = fetch("hf://datasets/acme/prefs/data/train.jsonl");
        Path cached = first.files().get(0).local();
        byte[] damaged = Files.readAllBytes(cached);
        damaged[10] ^= 1; // same size, other content: the git blob id tells
        Files.write(cached, damaged);

        HubDataset.Download second = fetch("hf://datasets/acme/prefs/data/train.jsonl");

        assertThat(second.downloadedCount()).isEqualTo(1);
        assertThat(cached).hasSameBinaryContentAs(repo.resolve("data/train.jsonl"));
        assertThat(server.requests(TRAIN)).isEqualTo(2);
    }

    @Test
    void aFileLongerOrShorterThanListedFailsNamingBothSizes() throws Exception {
        long size = Files.size(repo.resolve("data/train.jsonl"));
        server.hubListSize(REPO, "data/train.jsonl", size + 10);
        assertThatThrownBy(() -> fetch("hf://datasets/acme/prefs/data/train.jsonl"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("data/train.jsonl: downloaded " + size + " bytes where the Hub lists " + (size
                        + 10))
                .hasMessageContaining("after 4 attempts");
        assertThat(cache.resolve("datasets/acme/prefs/main/data/train.jsonl")).doesNotExist();

        server.hubListSize(REPO, "data/train.jsonl", size - 10);
        assertThatThrownBy(() -> fetch("hf://datasets/acme/prefs/data/train.jsonl"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("downloaded " + size + " bytes where the Hub lists " + (size - 10));
        assertThat(cache.resolve("datasets/acme/prefs/main/data/train.jsonl")).doesNotExist();
    }

    @Test
    void aFileWhoseSha256DiffersFromTheListingIsRefused() throws Exception {
        server.hubListSha256(REPO, "data/test.parquet", "0".repeat(64));
        assertThatThrownBy(() -> fetch("hf://datasets/acme/prefs/data/test.parquet"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("data/test.parquet: the SHA-256 of the download")
                .hasMessageContaining("is not the Hub's (" + "0".repeat(64) + ")");
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void anUnknownDatasetIsReportedAsNotFound() {
        assertThatThrownBy(() -> fetch("hf://datasets/acme/nothing-here"))
                .isInstanceOf(HubException.class)
                .hasMessage("hf://datasets/acme/nothing-here@main: repository not found: no dataset " +
                        "acme/nothing-here on "
                        + server.root() + " (check OWNER/NAME; a private dataset needs HF_TOKEN)");
    }

    @Test
    void aPathWithoutDataFilesSaysWhatTheDatasetHas() {
        assertThatThrownBy(() -> fetch("hf://datasets/acme/prefs/docs"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("no data files (.parquet, .jsonl, .json, .csv, .tsv, optionally .gz) under " +
                        "'docs'")
                .hasMessageContaining("README.md");
    }

    @Test
    void aDownloadRedirectedToAnotherHostIsFetchedThereWithoutTheToken() throws Exception {
        try (StandInServer storage = StandInServer.start().hubDataset(REPO, repo)) {
            server.hubRequireToken(TOKEN).hubRedirectDownloadsTo(storage.root());

            HubDataset.Download d = hub(TOKEN).fetch(HubUri.parse("hf://datasets/acme/prefs"), Progress.Factory.NONE);

            assertThat(d.files()).hasSize(2);
            assertThat(d.downloadedCount()).isEqualTo(2);
            assertThat(storage.requests()).isEqualTo(2);
            assertThat(storage.authorizations()).isEmpty();
            assertThat(server.authorizations()).allMatch(("Bearer " + TOKEN)::equals);
        }
    }

    @Test
    void theFileListingRedirectedToAnotherOriginIsRefusedNamingBothAndTheTokenStays() throws Exception {
        try (StandInServer other = StandInServer.start().hubDataset(REPO, repo)) {
            server.redirectTo(302, other.root());

            assertThatThrownBy(() -> hub(TOKEN).fetch(HubUri.parse("hf://datasets/acme/prefs"), Progress.Factory.NONE))
                    .isInstanceOf(HubException.class)
                    .hasMessageContaining("refusing a redirect (HTTP 302)")
                    .hasMessageContaining("from " + server.root()).hasMessageContaining("to " + other.root())
                    .hasMessageNotContaining(TOKEN);
            assertThat(other.requests()).isZero();
        }
    }

    @Test
    void aGatedDatasetNeedsTheTokenWhichNeverAppearsInMessagesOrFiles() throws Exception {
        server.hubRequireToken(TOKEN);
        assertThatThrownBy(() -> fetch("hf://datasets/acme/prefs"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("access denied (HTTP 401)").hasMessageContaining("set HF_TOKEN");
        assertThatThrownBy(() -> hub("hf_WrongTokenWrongToken00000").fetch(HubUri.parse("hf://datasets/acme/prefs"),
                Progress.Factory.NONE))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("HF_TOKEN was refused").hasMessageNotContaining("hf_Wrong");

        HubDataset withToken = hub(TOKEN);
        HubDataset.Download d = withToken.fetch(HubUri.parse("hf://datasets/acme/prefs"), Progress.Factory.NONE);
        assertThat(d.files()).hasSize(2);
        assertThat(server.authorizations()).contains("Bearer " + TOKEN);
        assertThat(withToken.settings().toString()).doesNotContain(TOKEN);
        for (Path f : cacheFiles()) {
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN);
        }
    }

    @Test
    void onlyTheFileNamedIsFetchedAndARevisionIsKeptApartInTheCache() throws Exception {
        HubDataset.Download d = fetch("hf://datasets/acme/prefs/data/train.jsonl@v1.0");
        assertThat(d.files()).extracting(HubDataset.HubFile::path).containsExactly("data/train.jsonl");
        assertThat(d.paths().get(0)).isEqualTo(cache.resolve("datasets/acme/prefs/v1.0/data/train.jsonl")
                .toAbsolutePath());
        assertThat(server.requests("/datasets/acme/prefs/resolve/v1.0/data/train.jsonl")).isEqualTo(1);
        assertThat(server.requests(TEST)).isZero();
    }

    @Test
    void theResolverReplacesHubAddressesByTheirFilesAndKeepsLocalPaths() throws Exception {
        Path local = tmp.resolve("local.jsonl");
        InputResolver.Resolved r = new InputResolver(new HubSettings(URI.create(server.root()), null, cache,
                new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(5)), Duration.ofSeconds(10)))
                .resolve(List.of(local.toString(), "hf://datasets/acme/prefs/data"), Progress.Factory.NONE);
        assertThat(r.files()).hasSize(3);
        assertThat(r.files().get(0)).isEqualTo(local);
        assertThat(r.files().get(2).toString()).endsWith("train.jsonl");
        assertThat(r.provenance()).containsOnlyKeys("input.hub.1");
        assertThat(r.provenance().get("input.hub.1")).startsWith("hf://datasets/acme/prefs/data@main:")
                .contains("data/train.jsonl (");
    }

    @Test
    void progressIsReportedInBytesUpToTheTotal() throws Exception {
        long total = Files.size(repo.resolve("data/train.jsonl")) + Files.size(repo.resolve("data/test.parquet"));
        List<Long> seen = new ArrayList<>();
        long[] announced = {0};
        hub(null).fetch(HubUri.parse("hf://datasets/acme/prefs"), (task, t, unit) -> {
            assertThat(unit).isEqualTo("B");
            announced[0] = t;
            return new Progress() {
                @Override
                public void advanceTo(long done) {
                    seen.add(done);
                }

                @Override
                public void close() {
                }
            };
        });
        assertThat(announced[0]).isEqualTo(total);
        assertThat(seen).isSorted().last().isEqualTo(total);
    }
}
