package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reference descriptors in a memory-mapped file, appended as views are added ({@link DescriptorStorage}). The file is
 * unlinked as soon as it is open: its space belongs to this process alone and is returned when the process ends,
 * however it ends, and a gallery is indexed again at every start anyway (the service replays its topic). It is mapped
 * in segments of {@link #SEGMENT_LONGS} longs, made as they are needed (the file is sparse until written); a view never
 * spans two segments.
 *
 * <p>Appends are serialised here; reads take no lock. A reader only reads a view that was published to it through the
 * engine's lock after its append, and absolute reads of a buffer change no state, so concurrent reads are safe.
 * Removing a view only counts its bytes as free: they are reclaimed when the gallery is next indexed (a restart);
 * {@link #freeBytes()} says how many that is.
 */
final class DescriptorFile implements AutoCloseable {
    /** 64 MB per segment: about 2,000 views. */
    static final int SEGMENT_LONGS = 1 << 23;

    private final FileChannel channel;
    private final int segmentLongs;
    private volatile LongBuffer[] segments = new LongBuffer[0];
    private long end; // guarded by this: the next long to write
    private long freed; // guarded by this
    private boolean closed; // guarded by this

    private DescriptorFile(FileChannel channel, int segmentLongs) {
        this.channel = channel;
        this.segmentLongs = segmentLongs;
    }

    /**
     * A new, empty file in {@code directory}.
     *
     * @throws UncheckedIOException when the file cannot be made there
     */
    static DescriptorFile create(Path directory) {
        return create(directory, SEGMENT_LONGS);
    }

    /** As {@link #create(Path)}, with segments of {@code segmentLongs} longs (tests use small ones). */
    static DescriptorFile create(Path directory, int segmentLongs) {
        try {
            Path file = Files.createTempFile(directory, "reelcars-descriptors-", ".bin");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(file);
            } catch (IOException e) {
                // A system that cannot delete an open file (Windows): gone at exit instead, if not after a crash.
                file.toFile().deleteOnExit();
            }
            return new DescriptorFile(channel, segmentLongs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the reference descriptor file in " + directory
                    + " (REELCARS_IDENTIFY_DESCRIPTORS; `heap` keeps them on the heap instead)", e);
        }
    }

    /**
     * Appends {@code longs} longs of {@code descriptors}.
     *
     * @return where they start, for {@link #read}
     */
    synchronized long append(long[] descriptors, int longs) {
        if (closed) {
            throw new IllegalStateException("descriptor file is closed");
        }
        if (longs < 0 || longs > segmentLongs || longs > descriptors.length) {
            throw new IllegalArgumentException("cannot append " + longs + " longs");
        }
        int segment = (int) (end / segmentLongs);
        if (end % segmentLongs + longs > segmentLongs) {
            // The rest of this segment is left empty (under one view's bytes in 64 MB) so that reads stay in one.
            segment++;
            end = (long) segment * segmentLongs;
        }
        LongBuffer buffer = segment(segment);
        try {
            buffer.put((int) (end % segmentLongs), descriptors, 0, longs);
        } catch (InternalError e) {
            // How the JVM reports a write to a mapped page the file system cannot back (SIGBUS): a full disk or tmpfs.
            throw new UncheckedIOException(new IOException("cannot write the reference descriptor file (is its"
                    + " file system full? REELCARS_IDENTIFY_DESCRIPTORS names another directory, or heap)", e));
        }
        long at = end;
        end += longs;
        return at;
    }

    /** The {@code longs} longs appended at {@code at}. */
    long[] read(long at, int longs) {
        long[] out = new long[longs];
        segments[(int) (at / segmentLongs)].get((int) (at % segmentLongs), out, 0, longs);
        return out;
    }

    /** Counts a removed view's {@code longs} as free. */
    synchronized void free(int longs) {
        freed += longs;
    }

    /** Bytes written to the file, removed views' included. */
    synchronized long bytes() {
        return end * Long.BYTES;
    }

    /** Bytes of removed views, reclaimed only when the gallery is indexed again. */
    synchronized long freeBytes() {
        return freed * Long.BYTES;
    }

    private LongBuffer segment(int index) {
        LongBuffer[] held = segments;
        if (index < held.length) {
            return held[index];
        }
        try {
            long bytes = (long) segmentLongs * Long.BYTES;
            LongBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, index * bytes, bytes)
                    .order(ByteOrder.nativeOrder()).asLongBuffer();
            LongBuffer[] grown = Arrays.copyOf(held, index + 1);
            grown[index] = mapped;
            segments = grown;
            return mapped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow the reference descriptor file", e);
        }
    }

    /**
     * Closes the file. Its mappings stay readable until they are collected (a mapping does not depend on its channel),
     * so a still being matched while the engine closes reads what it read before; its space is returned then.
     */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the reference descriptor file", e);
        }
    }
}
