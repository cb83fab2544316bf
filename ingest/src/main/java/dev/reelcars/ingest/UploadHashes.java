package dev.reelcars.ingest;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running sha-256 of each film upload, fed while its bytes arrive, so the last {@code PATCH} needs only the
 * digest's end instead of reading the whole film again (1-4 GB: tens of seconds of disk and CPU in one request).
 *
 * <p>A {@code PATCH} reads its body through {@link #tee}, which hashes a copy of the upload's digest as the library
 * reads. The copy becomes the upload's state only if the upload grew by exactly the bytes hashed: a body cut off
 * mid-read, or a refusal after reading, leaves the state where it was, and the bytes the storage kept are read back
 * from disk ({@link #upTo}) before the next {@code PATCH} or at the end. After a restart there is no state: the
 * stored prefix is hashed from disk once, at the next {@code PATCH} of that upload (or when a complete upload is
 * finished at start).
 */
final class UploadHashes {
    /** What is known of one upload: the digest of its first {@code offset} bytes. */
    private record Running(MessageDigest digest, long offset) {
    }

    /** An upload's body as it is read, hashed on the way; {@link #keep} decides whether it counts. */
    final class Tee extends HttpServletRequestWrapper {
        private final String id;
        private final Running start;
        private final MessageDigest digest;
        private long read;
        private ServletInputStream in;

        private Tee(HttpServletRequest request, String id, Running start) {
            super(request);
            this.id = id;
            this.start = start;
            this.digest = copy(start.digest());
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                ServletInputStream raw = super.getInputStream();
                in = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = raw.read();
                        if (b >= 0) {
                            digest.update((byte) b);
                            read++;
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = raw.read(buf, off, len);
                        if (n > 0) {
                            digest.update(buf, off, n);
                            read += n;
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return raw.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return raw.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        raw.setReadListener(listener);
                    }
                };
            }
            return in;
        }

        /** After the library handled the request: the upload's offset now. */
        void keep(long offset) {
            if (offset == start.offset() + read) {
                hashes.put(id, new Running(digest, offset));
            }
        }
    }

    private final Path uploadsDir;
    private final Map<String, Running> hashes = new ConcurrentHashMap<>();

    /** @param uploadsDir where the tus library keeps each upload's bytes, as {@code <id>/data} */
    UploadHashes(Path uploadsDir) {
        this.uploadsDir = uploadsDir;
    }

    /** The request to hand the library for a {@code PATCH} of upload {@code id}, now at {@code offset}. */
    Tee tee(HttpServletRequest request, String id, long offset) {
        return new Tee(request, id, upTo(id, offset));
    }

    /** The sha-256 (hex) of upload {@code id}'s first {@code length} bytes, its whole content once complete. */
    String sha256(String id, long length) {
        return HexFormat.of().formatHex(copy(upTo(id, length).digest()).digest());
    }

    void forget(String id) {
        hashes.remove(id);
    }

    /** The upload's digest brought up to {@code offset}, from the stored bytes where the running one falls short. */
    private Running upTo(String id, long offset) {
        Running r = hashes.get(id);
        if (r == null || r.offset() > offset) {
            r = new Running(FilmUploads.sha256(), 0);
        }
        if (r.offset() < offset) {
            MessageDigest digest = copy(r.digest());
            try (FileChannel data = FileChannel.open(data(id), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                long at = r.offset();
                while (at < offset) {
                    buf.clear().limit((int) Math.min(buf.capacity(), offset - at));
                    int n = data.read(buf, at);
                    if (n < 0) {
                        throw new IOException("upload " + id + " has fewer than " + offset + " bytes stored");
                    }
                    digest.update(buf.flip());
                    at += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read upload " + id + " to hash it", e);
            }
            r = new Running(digest, offset);
            hashes.put(id, r);
        }
        return r;
    }

    /** Where the library keeps the upload's bytes (its disk storage's layout). */
    Path data(String id) {
        return uploadsDir.resolve(id).resolve("data");
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
