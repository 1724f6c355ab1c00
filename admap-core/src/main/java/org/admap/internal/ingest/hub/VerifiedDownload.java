package org.admap.internal.ingest.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.Progress;
import org.admap.internal.score.http.RetryPolicy;

/**
 * Downloads a listed file of the Hub into the cache, verified and resumable: through a
 * {@code .part} file that a broken download resumes with an HTTP {@code Range} request, checked
 * against the listed size and SHA-256 ({@code lfs.oid}) or git blob id, retried, and moved into
 * place only once it verifies. A cached file that verifies is used as it is.
 */
final class VerifiedDownload {

    private final HubHttp http;
    private final HubSettings settings;

    VerifiedDownload(HubHttp http) {
        this.http = http;
        this.settings = http.settings();
    }

    /**
     * Brings one listed file to {@code local}: the cached copy if it verifies, else a download
     * through its {@code .part} file, resumed and retried, moved into place once it verifies.
     */
    HubDataset.HubFile fetch(HubUri uri, ListedFile f, Path local, Progress bar, long[] done)
            throws IOException, InterruptedException {
        if (Files.isRegularFile(local)) {
            if (verify(local, f) == null) {
                done[0] += Files.size(local);
                bar.advanceTo(done[0]);
                return new HubDataset.HubFile(f.path(), Files.size(local), f.sha256(), local, false);
            }
            Files.delete(local); // stale: the revision moved, or the copy was damaged
        }
        Files.createDirectories(local.getParent());
        Path part = local.resolveSibling(local.getFileName() + ".part");
        URI url = URI.create(settings.endpoint() + "/datasets/" + uri.owner() + "/" + uri.name() + "/resolve/"
                + HubHttp.encode(uri.revision()) + "/" + HubHttp.encodePath(f.path()));
        RetryPolicy retry = settings.retry();
        String problem = null;
        for (int attempt = 1; attempt <= retry.maxRetries() + 1; attempt++) {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (f.size() >= 0 && have > f.size()) {
                Files.delete(part);
                have = 0;
            }
            if (f.size() < 0 || have < f.size()) {
                String failure = download(uri, f, url, part, have, bar, done[0]);
                long now = Files.isRegularFile(part) ? Files.size(part) : 0;
                if (failure == null && f.size() >= 0 && now < f.size()) {
                    failure = "downloaded " + now + " bytes where the Hub lists " + f.size();
                }
                if (failure != null) { // resumed from the part file at the next attempt
                    problem = failure;
                    http.pause(retry.backoff(attempt), attempt);
                    continue;
                }
            }
            String bad = verify(part, f);
            if (bad == null) {
                Files.move(part, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                done[0] += Files.size(local);
                bar.advanceTo(done[0]);
                return new HubDataset.HubFile(f.path(), Files.size(local), f.sha256(), local, true);
            }
            problem = bad;
            Files.deleteIfExists(part); // a complete file that does not verify: start over
        }
        throw new HubException(uri + ": " + f.path() + ": " + problem + ", after " + (retry.maxRetries() + 1)
                + " attempts (the partial download is kept in " + part.getFileName() + " when it is resumable)");
    }

    /**
     * Downloads into the part file from byte {@code have} on; returns null when the body
     * arrived whole, else what went wrong (the part file keeps what arrived).
     */
    private String download(HubUri uri, ListedFile f, URI url, Path part, long have, Progress bar, long before)
            throws IOException {
        HubHttp.Answer r;
        try {
            r = http.open(url, have > 0 ? "bytes=" + have + "-" : null, false);
        } catch (IOException e) {
            return "cannot reach " + settings.endpoint() + " (" + http.oneLine(e.toString()) + ")";
        }
        int status = r.status();
        if (status != 200 && status != 206) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            if (status == 416) {
                Files.deleteIfExists(part);
                return "the Hub refused to resume (HTTP 416)";
            }
            if (status == 429 || status == 408 || status >= 500) {
                RetryPolicy.requestedWait(r.headers()).ifPresent(w -> sleepQuietly(w));
                return "HTTP " + status;
            }
            throw http.refused(uri, "", status, r.headers(), body, f.path());
        }
        boolean append = status == 206 && have > 0;
        if (append) {
            long start = contentRangeStart(r.headers()).orElse(-1L);
            if (start != have) {
                r.body().close();
                Files.deleteIfExists(part);
                return "the Hub resumed at byte " + start + " instead of " + have;
            }
        }
        long written = append ? have : 0;
        try (InputStream in = r.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            long reported = written;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                written += n;
                if (written - reported >= 1 << 20) {
                    bar.advanceTo(before + written);
                    reported = written;
                }
            }
        } catch (IOException e) {
            bar.advanceTo(before + written);
            return "the connection broke after " + written + " of " + f.size() + " bytes";
        }
        bar.advanceTo(before + written);
        return null;
    }

    /** Null when the file has the listed size and hash, else what differs. */
    static String verify(Path file, ListedFile f) throws IOException {
        long size = Files.size(file);
        if (f.size() >= 0 && size != f.size()) {
            return "downloaded " + size + " bytes where the Hub lists " + f.size();
        }
        if (f.sha256() != null) {
            String actual = digest(file, "SHA-256", null);
            if (!actual.equals(f.sha256())) {
                return "the SHA-256 of the download (" + actual + ") is not the Hub's (" + f.sha256() + ")";
            }
        } else if (f.gitOid() != null && f.gitOid().length() == 40) {
            String actual = digest(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.UTF_8));
            if (!actual.equalsIgnoreCase(f.gitOid())) {
                return "the git blob id of the download (" + actual + ") is not the Hub's (" + f.gitOid() + ")";
            }
        }
        return null;
    }

    private static String digest(Path file, String algorithm, byte[] header) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java", e);
        }
        if (header != null) {
            md.update(header);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Optional<Long> contentRangeStart(HttpHeaders headers) {
        return headers.firstValue("Content-Range").flatMap(v -> {
            Matcher m = Pattern.compile("bytes\\s+(\\d+)-").matcher(v);
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        });
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(Math.min(d.toMillis(), 60_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
