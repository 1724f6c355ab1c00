package org.admap.internal.ingest.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a download must match to be kept: the listed size, and the SHA-256 or the git blob id. */
class VerifiedDownloadTest {

    // "hello\n": sha256sum, and git hash-object
    private static final String SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final String BLOB = "ce013625030ba8dba906f756967f9e9ca394464a";

    @TempDir
    Path dir;

    @Test
    void aFileWithTheListedSizeAndHashVerifies() throws Exception {
        Path f = file("hello\n");
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", 6, SHA256, null))).isNull();
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", 6, null, BLOB))).isNull();
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", -1, null, null))).isNull();
    }

    @Test
    void eachDifferenceIsSaid() throws Exception {
        Path f = file("hellO\n");
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", 7, SHA256, null)))
                .isEqualTo("downloaded 6 bytes where the Hub lists 7");
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", 6, SHA256, null)))
                .startsWith("the SHA-256 of the download (").endsWith("is not the Hub's (" + SHA256 + ")");
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", 6, null, BLOB)))
                .startsWith("the git blob id of the download (").endsWith("is not the Hub's (" + BLOB + ")");
    }

    @Test
    void aGitIdThatIsNotSha1IsNotChecked() throws Exception {
        Path f = file("anything");
        assertThat(VerifiedDownload.verify(f, new ListedFile("a.jsonl", 8, null, "abc"))).isNull();
    }

    private Path file(String text) throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
