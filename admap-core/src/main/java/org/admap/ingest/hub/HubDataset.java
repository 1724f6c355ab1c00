package org.admap.ingest.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.admap.Progress;
import org.admap.score.http.RetryPolicy;

/**
 * Brings the data files of a Hugging Face Hub dataset into a local cache, so that they can
 * be read like any local input.
 *
 * <p>It lists the dataset's files (the Hub's tree API, recursively, page by page), keeps
 * the data files admap reads ({@code .parquet}, {@code .jsonl}, {@code .json}, {@code .csv},
 * {@code .tsv}, the text ones optionally {@code .gz}) under the address's path, and
 * downloads each into {@code CACHE/datasets/OWNER/NAME/REVISION/PATH}:
 * <ul>
 *   <li>through a {@code .part} file: a broken download resumes where it stopped, with an
 *       HTTP {@code Range} request;</li>
 *   <li>verified: the size the listing gives, and its SHA-256 (the {@code lfs.oid}) or git
 *       blob id where the listing has one; a file that does not verify is downloaded again,
 *       and after the retries the fetch fails saying so;</li>
 *   <li>once: a cached file whose size and hash match is used as it is.</li>
 * </ul>
 * The token ({@code HF_TOKEN}) goes as a bearer header to the Hub itself only, not to the
 * storage servers the Hub redirects downloads to; it never appears in a message, a file or
 * the run store. Problems the user can fix (no such dataset, a gated one without a token, no
 * data files under the path) are {@link HubException}s with one-line messages.
 *
 * <p>The parts: {@link HubListing} lists the files, {@link VerifiedDownload} brings each into
 * the cache, both over {@link HubHttp}, admap's HTTP client of the Hub.
 *
 * <p>Example:
 * <pre>{@code
 * HubDataset hub = new HubDataset(HubDataset.Settings.of(HubDataset.DEFAULT_ENDPOINT,
 *         System.getenv("HF_TOKEN"), HubDataset.Settings.defaultCache(System.getenv())));
 * HubDataset.Download d = hub.fetch(HubUri.parse("hf://datasets/OWNER/NAME/data"), Progress.Factory.NONE);
 * List<Path> files = d.paths();
 * }</pre>
 */
public final class HubDataset {

    /** The Hugging Face Hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    /**
     * Where the Hub is and how to talk to it.
     *
     * @param endpoint the Hub's address ({@link #DEFAULT_ENDPOINT}, or a mirror)
     * @param token    the access token, or null
     * @param cache    the cache's root: files go to {@code cache/datasets/OWNER/NAME/REVISION/PATH}
     * @param retry    retries of a listing page or a download after a broken connection, 429 or 5xx
     * @param timeout  to connect, and the longest silence of a server while it answers
     */
    public record Settings(URI endpoint, String token, Path cache, RetryPolicy retry, Duration timeout) {

        public Settings {
            String url = endpoint.toString();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            endpoint = URI.create(url);
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new IllegalArgumentException("--hf-endpoint '" + url + "' is not a URL such as"
                        + " https://huggingface.co");
            }
            token = token == null || token.isBlank() ? null : token.strip();
        }

        /** The usual settings: 5 retries, a minute to answer. */
        public static Settings of(URI endpoint, String token, Path cache) {
            return new Settings(endpoint, token, cache,
                    new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20)), Duration.ofSeconds(60));
        }

        /** {@code $ADMAP_CACHE/hub}, else {@code ~/.cache/admap/hub}. */
        public static Path defaultCache(Map<String, String> environment) {
            String dir = environment.get("ADMAP_CACHE");
            Path root = dir != null && !dir.isBlank() ? Path.of(dir)
                    : Path.of(System.getProperty("user.home"), ".cache", "admap");
            return root.resolve("hub");
        }

        /** Without the token. */
        @Override
        public String toString() {
            return "Settings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "***") + ", cache=" + cache
                    + ", retry=" + retry + ", timeout=" + timeout + "]";
        }
    }

    /**
     * A data file of the dataset, in the cache.
     *
     * @param path       its path in the dataset
     * @param size       its size in bytes, as listed (and verified)
     * @param sha256     its SHA-256 as listed (files stored with LFS), or null
     * @param local      where it is in the cache
     * @param downloaded whether this fetch downloaded it (false: the cached copy was good)
     */
    public record HubFile(String path, long size, String sha256, Path local, boolean downloaded) {
    }

    /**
     * What a fetch brought.
     *
     * @param uri    the address fetched
     * @param folder the cache folder of the dataset's revision
     * @param files  its data files, in path order
     */
    public record Download(HubUri uri, Path folder, List<HubFile> files) {

        public Download {
            files = List.copyOf(files);
        }

        /** The local files, in path order. */
        public List<Path> paths() {
            return files.stream().map(HubFile::local).toList();
        }

        /** Bytes of all files. */
        public long bytes() {
            return files.stream().mapToLong(HubFile::size).sum();
        }

        /** How many files were downloaded rather than taken from the cache. */
        public long downloadedCount() {
            return files.stream().filter(HubFile::downloaded).count();
        }
    }

    private final Settings settings;
    private final HubListing listing;
    private final VerifiedDownload download;

    public HubDataset(Settings settings) {
        this.settings = settings;
        HubHttp http = new HubHttp(settings);
        this.listing = new HubListing(http);
        this.download = new VerifiedDownload(http);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Lists the dataset's data files under the address's path and brings each into the cache.
     *
     * @param progress reports bytes, cached files counting as done at once
     * @throws HubException for problems the user can fix, and for files that do not verify
     */
    public Download fetch(HubUri uri, Progress.Factory progress) throws IOException, InterruptedException {
        List<ListedFile> listed = listing.dataFiles(uri);
        Path root = settings.cache().resolve("datasets").resolve(uri.owner()).resolve(uri.name())
                .resolve(uri.revision().replace("/", "%2F")).toAbsolutePath().normalize();
        long total = listed.stream().mapToLong(f -> Math.max(0, f.size())).sum();
        List<HubFile> files = new ArrayList<>();
        try (Progress bar = progress.start("downloading " + uri, total, "B")) {
            long[] done = {0};
            for (ListedFile f : listed) {
                Path local = root.resolve(f.path()).normalize();
                if (!local.startsWith(root)) {
                    throw new HubException(uri + ": the Hub lists a file outside the dataset ('" + f.path() + "')");
                }
                files.add(download.fetch(uri, f, local, bar, done));
            }
        }
        return new Download(uri, root, files);
    }
}
