package dev.reelcars.ingest;

import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Role;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.http.ApiError;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.kafka.EventPublisher;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.TusFileUploadService;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.util.TusServletRequest;
import me.desair.tus.server.util.TusServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable film uploads with the tus 1.0 protocol (tus-java-server): {@code POST /api/films/uploads} creates an
 * upload of {@code Upload-Length} bytes, {@code PATCH /api/films/uploads/{id}} appends at {@code Upload-Offset},
 * {@code HEAD} tells how far it got, {@code DELETE} gives it up. Bytes received before a dropped connection are kept
 * (on disk under {@code partsDir}), so a client resumes from the offset {@code HEAD} reports, also after a restart.
 *
 * <p>Only a signed-in contributor creates an upload, and only its owner may continue it (other accounts get 404). The
 * size, the account's quota and its number of open uploads are checked from the creation's headers, before a byte is
 * stored. The bytes are hashed (sha-256) as they arrive ({@link UploadHashes}); when the last one arrives the film is
 * checked to be a video ffprobe reads, moved atomically to {@code filmDir/<sha256>.film} (so no half-written film is
 * ever visible there) and published as {@link FilmSubmitted}; the final {@code PATCH}'s answer names the film in {@value #FILM_ID_HEADER}. The same content
 * again is the same film: nothing new is stored or published, and {@value #DUPLICATE_HEADER} says so.
 */
final class FilmUploads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FilmUploads.class);
    static final String BASE = "/api/films/uploads";
    static final String FILM_ID_HEADER = "Reelcars-Film-Id";
    static final String DUPLICATE_HEADER = "Reelcars-Duplicate";

    private final IngestConfig.FilmLimits limits;
    private final IngestConfig.UploadLimits fieldLimits;
    private final FilmCatalog catalog;
    private final EventPublisher publisher;
    private final Topics topics;
    private final Authenticator auth;
    private final String ffprobe;
    private final Clock clock;
    private final TusFileUploadService tus;
    private final UploadHashes hashes;
    /** Unfinished uploads: id → owner and length, for the per-account caps. */
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final Object admission = new Object();
    /** The same content takes the same stripe, so two uploads of one film finishing at once publish it once. */
    private final ReentrantLock[] stripes = new ReentrantLock[16];

    /** Deletes expired uploads every hour, so abandoned parts do not hold disk (and quota) until the next start. */
    private final java.util.concurrent.ScheduledExecutorService janitor =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ingest-film-upload-expiry");
                t.setDaemon(true);
                return t;
            });

    private record Open(String owner, long length) {}

    /** A finished upload: the film, and whether it had been submitted before. */
    record Finished(FilmSubmitted film, boolean duplicate) {}

    FilmUploads(IngestConfig.FilmLimits limits, IngestConfig.UploadLimits fieldLimits, FilmCatalog catalog,
            EventPublisher publisher, Topics topics, Authenticator auth, String ffprobe, Clock clock) {
        this.limits = limits;
        this.fieldLimits = fieldLimits;
        this.catalog = catalog;
        this.publisher = publisher;
        this.topics = topics;
        this.auth = auth;
        this.ffprobe = ffprobe;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        try {
            Files.createDirectories(limits.partsDir());
            Files.createDirectories(limits.filmDir().resolve("incoming"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the film directories", e);
        }
        this.hashes = new UploadHashes(limits.partsDir().resolve("uploads"));
        this.tus = new JsonErrors()
                .withStoragePath(limits.partsDir().toString())
                .withUploadUri(BASE)
                .withMaxUploadSize(limits.maxBytes())
                .withUploadExpirationPeriod(limits.uploadExpiry().toMillis())
                // A film is one upload: no server-side concatenation of parts, no download of what was sent.
                .disableTusExtension("concatenation")
                .disableTusExtension("download");
    }

    /**
     * At start: uploads that are complete but were not finished (ingest stopped between the last byte and the
     * publication) are finished now; unfinished ones count against their owners' caps again; expired ones go.
     */
    void recover() {
        expire();
        janitor.scheduleWithFixedDelay(this::expire, 1, 1, java.util.concurrent.TimeUnit.HOURS);
        Path uploads = limits.partsDir().resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(uploads)) {
            for (Path dir : dirs) {
                String uri = BASE + "/" + dir.getFileName();
                try {
                    UploadInfo info = tus.getUploadInfo(uri);
                    if (info == null) {
                        continue;
                    }
                    if (info.isUploadInProgress()) {
                        open.put(dir.getFileName().toString(), new Open(info.getOwnerKey(), info.getLength()));
                    } else {
                        Finished f = finish(uri, info);
                        log.info("finished film upload {} left complete by the last run: {}", uri,
                                f.film().filmId());
                    }
                } catch (IOException | TusException | RuntimeException e) {
                    log.warn("cannot recover film upload {}", uri, e);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list film uploads in {}", uploads, e);
        }
    }

    private void expire() {
        try {
            Path uploads = limits.partsDir().resolve("uploads");
            // The library's cleanup fails on a fresh data directory that has no uploads yet (no such file: locks).
            Files.createDirectories(limits.partsDir().resolve("locks"));
            Files.createDirectories(uploads);
            tus.cleanup();
            // What the library deleted no longer counts against its owner.
            open.keySet().removeIf(id -> !Files.isDirectory(uploads.resolve(id)));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot clean up expired film uploads", e);
        }
    }

    @Override
    public void close() {
        janitor.shutdownNow();
    }

    /** {@code POST /api/films/uploads}: the upload gate has admitted a contributor. */
    void create(Context ctx) throws IOException {
        try {
            admitAndCreate(ctx);
        } catch (ApiException e) {
            // A creation may carry a first chunk (tus creation-with-upload): refused from its headers, left unread.
            UploadGate.refuseUnread(ctx, e);
        }
    }

    private void admitAndCreate(Context ctx) throws IOException {
        String owner = UploadGate.contributor(ctx);
        long length = uploadLength(ctx.header("Upload-Length"));
        if (length > limits.maxBytes()) {
            throw new ApiException(413, "film-too-large", "the film has " + length + " bytes; the limit is "
                    + limits.maxBytes());
        }
        FilmMetadata meta = FilmMetadata.of(FilmMetadata.decodeHeader(ctx.header("Upload-Metadata")), fieldLimits);
        if (meta.sha256() != null) {
            var known = catalog.bySha(meta.sha256()).filter(f -> f.owner().equals(owner));
            if (known.isPresent()) {
                ctx.header(FILM_ID_HEADER, known.get().filmId()).header(DUPLICATE_HEADER, "true");
                ctx.status(200).json(Map.of("id", known.get().filmId(), "duplicate", true));
                return;
            }
        }
        // Checked and created under one lock, so two creations at once cannot both fit in the last of a quota.
        synchronized (admission) {
            long openCount = open.values().stream().filter(o -> o.owner().equals(owner)).count();
            if (openCount >= limits.openUploadsPerAccount()) {
                throw new ApiException(429, "too-many-uploads", owner + " has " + openCount
                        + " unfinished film uploads; finish or delete one first", 60);
            }
            long used = catalog.bytesOwnedBy(owner) + open.values().stream().filter(o -> o.owner().equals(owner))
                    .mapToLong(Open::length).sum();
            if (used + length > limits.quotaBytes()) {
                throw new ApiException(413, "quota-exceeded", owner + " holds " + used + " bytes of films; this one"
                        + " would pass the quota of " + limits.quotaBytes());
            }
            tus.process(ctx.req(), ctx.res(), owner);
            String location = ctx.res().getHeader("Location");
            if (ctx.res().getStatus() == 201 && location != null) {
                open.put(location.substring(location.lastIndexOf('/') + 1), new Open(owner, length));
            }
        }
    }

    /** {@code HEAD /api/films/uploads/{id}}: how far the upload got ({@code Upload-Offset}). */
    void head(Context ctx) throws IOException {
        String owner = owner(ctx);
        if (owner != null) {
            tus.process(ctx.req(), ctx.res(), owner);
        }
    }

    /** {@code PATCH /api/films/uploads/{id}}: appends; the last bytes finish the film. */
    void patch(Context ctx) throws IOException, TusException {
        String owner = owner(ctx);
        if (owner == null) {
            return;
        }
        String uri = ctx.path();
        // The body is hashed as the library reads it, so the last PATCH need not read the whole film again.
        UploadInfo before = info(uri, owner);
        UploadHashes.Tee tee = before == null || !before.isUploadInProgress() ? null
                : hashes.tee(ctx.req(), ctx.pathParam("id"), before.getOffset());
        try {
            tus.process(tee == null ? ctx.req() : tee, ctx.res(), owner);
        } catch (IOException e) {
            // The client went away mid-body: what arrived is stored and HEAD reports it; nobody is left to answer.
            log.info("film upload {} interrupted: {}", ctx.path(), e.toString());
            keepHash(tee, uri, owner);
            return;
        }
        UploadInfo info = keepHash(tee, uri, owner);
        if (ctx.res().getStatus() != 204) {
            return;
        }
        if (info != null && !info.isUploadInProgress()) {
            Finished f = finish(uri, info);
            ctx.header(FILM_ID_HEADER, f.film().filmId());
            if (f.duplicate()) {
                ctx.header(DUPLICATE_HEADER, "true");
            }
        }
    }

    /** The running hash goes on from what this PATCH stored (when its bytes were all hashed); the upload now. */
    private UploadInfo keepHash(UploadHashes.Tee tee, String uri, String owner) throws IOException {
        UploadInfo after = info(uri, owner);
        if (tee != null && after != null) {
            tee.keep(after.getOffset());
        }
        return after;
    }

    /** The owner's upload at this address, or null (the library answers the request for one that is not). */
    private UploadInfo info(String uri, String owner) throws IOException {
        try {
            return tus.getUploadInfo(uri, owner);
        } catch (TusException e) {
            return null;
        }
    }

    /** {@code DELETE /api/films/uploads/{id}}: the owner gives an unfinished upload up. */
    void delete(Context ctx) throws IOException {
        String owner = owner(ctx);
        if (owner == null) {
            return;
        }
        tus.process(ctx.req(), ctx.res(), owner);
        if (ctx.res().getStatus() == 204) {
            open.remove(ctx.pathParam("id"));
            hashes.forget(ctx.pathParam("id"));
        }
    }

    /** The contributor continuing an upload, or null when refused (answered from the headers, body unread). */
    private String owner(Context ctx) {
        try {
            return auth.require(ctx, Role.CONTRIBUTOR).name();
        } catch (ApiException e) {
            UploadGate.refuseUnread(ctx, e);
            return null;
        }
    }

    /**
     * Takes a complete upload's hash (hashed as it arrived), moves it into the film directory and publishes it (or
     * finds it known). The film is hard-linked out of the library's storage (copied where the two directories are on
     * different file systems), so the upload stays whole until the film is published.
     */
    private Finished finish(String uri, UploadInfo info) throws IOException, TusException {
        String owner = info.getOwnerKey();
        String id = uri.substring(uri.lastIndexOf('/') + 1);
        FilmMetadata meta = FilmMetadata.of(info.getMetadata(), fieldLimits);
        Path part = limits.filmDir().resolve("incoming").resolve(id + ".part");
        long bytes = info.getLength();
        String sha = hashes.sha256(id, bytes);
        Files.deleteIfExists(part);
        try {
            Files.createLink(part, hashes.data(id));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(hashes.data(id), part, StandardCopyOption.REPLACE_EXISTING);
        }
        ReentrantLock lock = stripes[Math.floorMod(sha.hashCode(), stripes.length)];
        lock.lock();
        try {
            var known = catalog.bySha(sha);
            if (known.isPresent()) {
                Files.deleteIfExists(part);
                forget(uri, owner, id);
                return new Finished(known.get(), true);
            }
            try {
                if (!VideoProbe.looksLikeVideo(VideoProbe.head(part, 256))) {
                    throw new ApiException(415, ImageRejected.UNSUPPORTED_TYPE,
                            "not a video container ffmpeg reads (AVI, MP4/MOV, Matroska/WebM, MPEG, Ogg)");
                }
                VideoProbe.probe(ffprobe, part);
            } catch (ApiException e) {
                if (e.status() != 503) {
                    // Never a film: its upload goes too, so it does not hold the owner's quota.
                    Files.deleteIfExists(part);
                    forget(uri, owner, id);
                }
                throw e;
            }
            Path film = limits.filmDir().resolve(sha + ".film");
            Files.move(part, film, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FilmSubmitted event = new FilmSubmitted(FilmSubmitted.CURRENT_VERSION, FilmSubmitted.idOf(sha), sha, bytes,
                    film.getFileName().toString(), meta.title(), meta.year(), meta.country(), meta.language(), owner,
                    clock.instant());
            publisher.publish(topics.films(), event);
            catalog.record(event);
            forget(uri, owner, id);
            log.info("film {} ({} bytes, {}) uploaded by {}", event.filmId(), bytes, meta.title(), owner);
            return new Finished(event, false);
        } finally {
            lock.unlock();
        }
    }

    private void forget(String uri, String owner, String id) throws IOException, TusException {
        tus.deleteUpload(uri, owner);
        open.remove(id);
        hashes.forget(id);
    }

    private static long uploadLength(String header) {
        if (header == null) {
            throw new ApiException(400, "missing-upload-length", "a film upload declares its size in Upload-Length"
                    + " (deferred lengths are not supported)");
        }
        try {
            long length = Long.parseLong(header.trim());
            if (length > 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "invalid-upload-length", "Upload-Length must be a positive whole number");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** tus-java-server answering its refusals in reelcars' JSON, with a stable code per kind of refusal. */
    private static final class JsonErrors extends TusFileUploadService {
        @Override
        protected void processTusException(HttpMethod method, TusServletRequest request, TusServletResponse response,
                String ownerKey, TusException exception) throws IOException {
            // The library's own handling (checksum extensions undo the bytes they refused) answers through sendError.
            HttpServletResponse json = new HttpServletResponseWrapper(response) {
                @Override
                public void sendError(int status, String message) throws IOException {
                    String code = codeOf(exception);
                    setStatus(status);
                    setContentType("application/json");
                    byte[] body = EventCodec.mapper().writeValueAsBytes(new ApiError(code, message));
                    setContentLength(body.length);
                    getOutputStream().write(body);
                }
            };
            super.processTusException(method, request, new TusServletResponse(json), ownerKey, exception);
        }

        private static String codeOf(TusException e) {
            return switch (e.getClass().getSimpleName()) {
                case "MaxUploadLengthExceededException" -> "film-too-large";
                case "UploadNotFoundException" -> "not-found";
                case "UploadOffsetMismatchException", "InvalidUploadOffsetException" -> "offset-mismatch";
                case "InvalidContentTypeException" -> "unsupported-type";
                case "InvalidTusResumableException" -> "tus-version";
                case "InvalidUploadLengthException", "InvalidContentLengthException" -> "invalid-upload-length";
                case "UploadInProgressException", "UploadAlreadyLockedException" -> "upload-locked";
                case "UnsupportedMethodException" -> "method-not-allowed";
                case "UploadChecksumMismatchException" -> "checksum-mismatch";
                default -> "bad-request";
            };
        }
    }
}
