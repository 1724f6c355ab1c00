package org.admap.internal.ingest.hub;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub dataset address as admap takes it on the command line:
 * {@code hf://datasets/OWNER/NAME[/PATH][@REVISION]}, for example
 * {@code hf://datasets/HuggingFaceH4/ultrafeedback_binarized/data@main}. The revision may also
 * follow the name, as the {@code huggingface_hub} file system writes it
 * ({@code hf://datasets/OWNER/NAME@REVISION/PATH}, with {@code /} in a revision written
 * {@code %2F}). PATH is a folder (every data file under it) or one data file; without it,
 * the whole dataset. The revision defaults to {@code main}.
 *
 * @param owner    the user or organisation
 * @param name     the dataset's name
 * @param path     a folder or file inside the dataset, without leading or trailing slash; "" for all
 * @param revision a branch, tag or commit
 */
public record HubUri(String owner, String name, String path, String revision) {

    /** The scheme and repository type admap reads. */
    public static final String PREFIX = "hf://datasets/";
    /** The revision when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public HubUri {
        if (!NAME.matcher(owner).matches() || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + owner + "/" + name + "' is not a Hub dataset name such as"
                    + " OWNER/NAME");
        }
        if (path.contains("..") || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("'" + path + "' is not a path inside a dataset");
        }
        if (revision.isEmpty() || revision.contains("..")) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision");
        }
    }

    /** Whether a command-line input names a Hub dataset rather than a local file. */
    public static boolean isHub(String input) {
        return input.startsWith("hf://");
    }

    /**
     * Reads an address.
     *
     * @throws IllegalArgumentException with a message showing the expected form
     */
    public static HubUri parse(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("'" + text + "': Hub inputs look like hf://datasets/OWNER/NAME[/PATH]"
                    + "[@REVISION] (only datasets are read)");
        }
        String rest = text.substring(PREFIX.length());
        String revision = null;
        String[] parts = rest.split("/", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': expected hf://datasets/OWNER/NAME[/PATH][@REVISION]");
        }
        String owner = parts[0];
        String name = parts[1];
        String path = parts.length == 3 ? parts[2] : "";
        int at = name.indexOf('@');
        if (at >= 0) { // NAME@REVISION/PATH
            revision = URLDecoder.decode(name.substring(at + 1), StandardCharsets.UTF_8);
            name = name.substring(0, at);
        } else {
            int last = path.lastIndexOf('@');
            if (last >= 0) { // NAME/PATH@REVISION
                revision = path.substring(last + 1);
                path = path.substring(0, last);
            }
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (revision != null && revision.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': empty revision after '@'");
        }
        try {
            return new HubUri(owner, name, path, revision == null ? DEFAULT_REVISION : revision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    /** {@code OWNER/NAME}. */
    public String repo() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return PREFIX + repo() + (path.isEmpty() ? "" : "/" + path) + "@" + revision;
    }
}
