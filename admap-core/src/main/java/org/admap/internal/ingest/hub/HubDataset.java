package org.admap.internal.ingest.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;

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
 * HubDataset hub = new HubDataset(HubSettings.of(HubDataset.DEFAULT_ENDPOINT,
 *         System.getenv("HF_TOKEN"), HubSettings.defaultCache(System.getenv())));
 * HubDataset.Download d = hub.fetch(HubUri.parse("hf://datasets/OWNER/NAME/data"), Progress.Factory.NONE);
 * List<Path> files = d.paths();
 * }</pre>
 */
public final class HubDataset {

    /** The Hugging Face Hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

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

    private final HubSettings settings;
    private final HubListing listing;
    private final VerifiedDownload download;

    public HubDataset(HubSettings settings) {
        this.settings = settings;
        HubHttp http = new HubHttp(settings);
        this.listing = new HubListing(http);
        this.download = new VerifiedDownload(http);
    }

    public HubSettings settings() {
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
