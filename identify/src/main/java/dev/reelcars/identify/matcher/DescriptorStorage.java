package dev.reelcars.identify.matcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a {@link MatchEngine} keeps its reference views' ORB descriptors (issue 19, point 5: 100,000 views). A
 * view's descriptors are two thirds of its bytes (32 of about 50 per feature) and only verification reads them, for
 * the dozen or two views the inverted index shortlists per still; retrieval reads the postings, which stay on the
 * heap. So by default they live in a memory-mapped file ({@link DescriptorFile}) and the operating system's page
 * cache holds as much of it as memory allows, as Lucene's MMapDirectory holds an index: the heap holds about 17 KB
 * per view instead of 48 (README-matcher, "Eighteenth round").
 *
 * @param directory where the file is made (it is unlinked at once, so it never outlives the process); null: on the
 *     Java heap, as before
 */
public record DescriptorStorage(Path directory) {

    /** The descriptors on the Java heap: nothing on disk, 30 KB more heap per view. */
    public static final DescriptorStorage HEAP = new DescriptorStorage(null);

    /** A memory-mapped file in the JVM's temporary directory ({@code java.io.tmpdir}): the default. */
    public static DescriptorStorage defaults() {
        return new DescriptorStorage(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Reads the setting's form: {@code heap}, {@code file} (the JVM's temporary directory) or a directory.
     *
     * @throws IllegalArgumentException when it names no existing directory
     */
    public static DescriptorStorage parse(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equals("heap")) {
            return HEAP;
        }
        if (v.equals("file")) {
            return defaults();
        }
        Path dir = Path.of(v);
        if (v.isEmpty() || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("descriptor storage must be heap, file or an existing directory, was '"
                    + v + "'");
        }
        return new DescriptorStorage(dir);
    }

    /** Whether the descriptors stay on the heap. */
    public boolean onHeap() {
        return directory == null;
    }

    @Override
    public String toString() {
        return onHeap() ? "heap" : "file in " + directory;
    }
}
