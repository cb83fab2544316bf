package dev.reelcars.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Principal;
import dev.reelcars.accounts.Role;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Ids;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.kafka.EventPublisher;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A film job seen and steered by its owner: {@code GET /api/films} (the caller's films), {@code GET
 * /api/films/{id}} (progress: frames covered, matched, appearances so far with their in and out times, time left),
 * {@code POST /api/films/{id}/pause}, {@code /resume}, {@code /cancel}, {@code DELETE /api/films/{id}}; and for
 * admins, {@code POST /api/films/import}, a job from a file already on the server (inside the import directory).
 *
 * <p>Only the owner, reviewers and admins see a film (anyone else gets 404, as for a film that does not exist);
 * only the owner and admins steer or delete it. Pause and cancel are wishes on the film-control topic that the
 * scanning identify instance acts on between two frames; resume also submits the film again, so whichever instance
 * takes it continues from the last checkpoint. Deleting cancels the scan, removes the uploaded file and tombstones
 * the film's submission (which frees its bytes from the owner's quota); the appearances reviewers already confirmed
 * stay in the catalogue, whose record of them comes from the decisions, not from the film.
 */
final class FilmEndpoints implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FilmEndpoints.class);
    /** Progress streams one account may hold open at once: each costs a connection and a look every second. */
    static final int MAX_STREAMS_PER_ACCOUNT = 4;
    private static final String FILM = "reelcars.film";

    private final FilmCatalog catalog;
    private final EventPublisher publisher;
    private final Topics topics;
    private final Authenticator auth;
    private final IngestConfig.FilmLimits limits;
    private final IngestConfig.UploadLimits fieldLimits;
    private final String ffprobe;
    private final AuditLog audit;
    private final Clock clock;
    private final java.util.concurrent.ScheduledExecutorService streams =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ingest-film-progress");
                t.setDaemon(true);
                return t;
            });
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> streamsByAccount =
            new java.util.concurrent.ConcurrentHashMap<>();

    FilmEndpoints(FilmCatalog catalog, EventPublisher publisher, Topics topics, Authenticator auth,
            IngestConfig.FilmLimits limits, IngestConfig.UploadLimits fieldLimits, String ffprobe, AuditLog audit,
            Clock clock) {
        this.catalog = catalog;
        this.audit = audit;
        this.publisher = publisher;
        this.topics = topics;
        this.auth = auth;
        this.limits = limits;
        this.fieldLimits = fieldLimits;
        this.ffprobe = ffprobe;
        this.clock = clock;
    }

    /** What {@code GET /api/films/{id}} answers. */
    record FilmView(String id, String title, Integer year, String country, String language, String owner,
            long bytes, String sha256, String status, String requested, double percent, long framesTotal,
            long framesDone, long framesMatched, long framesIdentified, int appearances, double etaSeconds,
            long resumedFromFrame, double filmSeconds, String message, Instant updatedAt,
            List<FilmCatalog.Appearance> timeline) {
    }

    /** A line of {@code GET /api/films}. */
    record FilmSummary(String id, String title, Integer year, String status, double percent, int appearances,
            long bytes, Instant submittedAt) {
    }

    void get(Context ctx) {
        ctx.json(view(visible(ctx, auth.requireSignedIn(ctx))));
    }

    /** {@code GET /api/films}: the caller's own films, newest first (a contributor's list on the page). */
    void list(Context ctx) {
        Principal p = auth.requireSignedIn(ctx);
        List<FilmSummary> mine = catalog.ownedBy(p.name()).stream().map(f -> {
            FilmView v = view(f);
            return new FilmSummary(f.filmId(), f.title(), f.year(), v.status(), v.percent(), v.appearances(),
                    f.bytes(), f.submittedAt());
        }).toList();
        ctx.json(Map.of("films", mine));
    }

    /**
     * {@code DELETE /api/films/{id}} (the owner or an admin): cancels the scan if it has not ended, tombstones the
     * submission (its bytes leave the owner's quota, here and on every ingest that replays the topic), removes the
     * uploaded file (a film imported from the import directory is the operator's file and stays), and audits it.
     */
    void delete(Context ctx) {
        Principal p = auth.requireSignedIn(ctx);
        FilmSubmitted film = visible(ctx, p);
        if (!film.owner().equals(p.name()) && !p.has(Role.ADMIN)) {
            throw new ApiException(403, "forbidden", "only the film's owner or an admin may delete it");
        }
        Optional<FilmProgress> progress = catalog.progress(film.filmId());
        boolean scanEnded = progress.isPresent() && progress.get().finished();
        if (!scanEnded && !catalog.requested(film.filmId()).equals(FilmControl.CANCEL)) {
            publisher.publish(topics.filmControl(), new FilmControl(FilmControl.CURRENT_VERSION, film.filmId(),
                    FilmControl.CANCEL, p.name(), clock.instant()));
        }
        publisher.publishTombstone(topics.films(), film.filmId());
        catalog.forget(film.filmId());
        Path source = Path.of(film.source());
        boolean removed = false;
        if (!source.isAbsolute()) {
            try {
                removed = Files.deleteIfExists(limits.filmDir().resolve(source));
            } catch (IOException e) {
                log.warn("film {} deleted, but its file {} was not: {}", film.filmId(), source, e.toString());
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("title", film.title());
        detail.put("owner", film.owner());
        detail.put("bytes", film.bytes());
        detail.put("fileRemoved", removed);
        detail.put("scanCancelled", !scanEnded);
        audit.record("film.delete", p.name(), ctx.ip(), film.filmId(), detail);
        log.info("film {} ({}) deleted by {}", film.filmId(), film.title(), p.name());
        ctx.status(200).json(Map.of("id", film.filmId(), "deleted", true));
    }

    /** Before {@code GET /api/films/{id}/events}: who may watch is decided before the stream opens (JSON errors). */
    void admitStream(Context ctx) {
        Principal p = auth.requireSignedIn(ctx);
        FilmSubmitted film = visible(ctx, p);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            // Javalin streams only to clients that ask for it (as EventSource does); anyone else would get nothing.
            throw new ApiException(406, "not-acceptable", "this is a stream of Server-Sent Events: send Accept: "
                    + "text/event-stream, or read GET /api/films/{id}");
        }
        var open = streamsByAccount.computeIfAbsent(p.name(), k -> new java.util.concurrent.atomic.AtomicInteger());
        if (open.incrementAndGet() > MAX_STREAMS_PER_ACCOUNT) {
            open.decrementAndGet();
            throw new ApiException(429, "too-many-streams", p.name() + " already watches "
                    + MAX_STREAMS_PER_ACCOUNT + " films; close one first", 10);
        }
        ctx.attribute(FILM, film);
        ctx.attribute(UploadGate.PRINCIPAL, p);
    }

    /**
     * {@code GET /api/films/{id}/events}: Server-Sent Events, a {@code progress} event with the film's view at once
     * and whenever it changes (looked at every second), until the scan ends or the client goes.
     */
    void stream(io.javalin.http.sse.SseClient client) {
        FilmSubmitted film = client.ctx().attribute(FILM);
        Principal p = client.ctx().attribute(UploadGate.PRINCIPAL);
        client.keepAlive();
        FilmView[] last = new FilmView[1];
        java.util.concurrent.ScheduledFuture<?>[] task = new java.util.concurrent.ScheduledFuture<?>[1];
        Runnable end = () -> {
            if (task[0] != null && task[0].cancel(false)) {
                streamsByAccount.get(p.name()).decrementAndGet();
            }
        };
        client.onClose(end);
        task[0] = streams.scheduleWithFixedDelay(() -> {
            try {
                if (client.terminated()) {
                    end.run();
                    return;
                }
                FilmView v = view(film);
                if (!v.equals(last[0])) {
                    last[0] = v;
                    client.sendEvent("progress", EventCodec.mapper().writeValueAsString(v));
                }
                var progress = catalog.progress(film.filmId());
                if (progress.isPresent() && progress.get().finished()) {
                    end.run();
                    client.close();
                }
            } catch (IOException | RuntimeException e) {
                // A tick that fails must not end the others' streams: this one ends, and says why in the log.
                log.warn("film progress stream of {} ends: {}", film.filmId(), e.toString());
                end.run();
                client.close();
            }
        }, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        streams.shutdownNow();
    }

    void control(Context ctx, String action) {
        Principal p = auth.requireSignedIn(ctx);
        FilmSubmitted film = visible(ctx, p);
        if (!film.owner().equals(p.name()) && !p.has(Role.ADMIN)) {
            throw new ApiException(403, "forbidden", "only the film's owner or an admin may " + action + " its scan");
        }
        Optional<FilmProgress> progress = catalog.progress(film.filmId());
        if (progress.isPresent() && progress.get().finished()) {
            throw new ApiException(409, "finished", "the scan has ended (" + progress.get().status() + ")");
        }
        String requested = catalog.requested(film.filmId());
        String state = switch (action) {
            case "pause" -> FilmControl.PAUSE;
            case "cancel" -> FilmControl.CANCEL;
            default -> {
                if (!requested.equals(FilmControl.PAUSE)) {
                    throw new ApiException(409, "not-paused", "only a paused scan can be resumed (it is "
                            + requested + ")");
                }
                yield FilmControl.RUN;
            }
        };
        if (requested.equals(FilmControl.CANCEL)) {
            throw new ApiException(409, "finished", "the scan was cancelled");
        }
        FilmControl wish = new FilmControl(FilmControl.CURRENT_VERSION, film.filmId(), state, p.name(),
                clock.instant());
        publisher.publish(topics.filmControl(), wish);
        catalog.record(wish);
        if (state.equals(FilmControl.RUN)) {
            // Scan requests are the films topic's records: the same film again is "go on from the checkpoint".
            publisher.publish(topics.films(), film);
        }
        ctx.status(202).json(view(film));
    }

    /** {@code POST /api/films/import} (admins): {"path", "title", "year", "country", "language"}. */
    void importFilm(Context ctx) throws IOException {
        Principal p = auth.require(ctx, Role.ADMIN);
        Authenticator.requireJson(ctx);
        JsonNode body;
        try {
            body = EventCodec.mapper().readTree(ctx.bodyInputStream());
        } catch (IOException e) {
            throw new ApiException(400, "invalid-json", "the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid-json", "expected a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        body.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().isValueNode()
                ? f.getValue().asText() : f.getValue().toString()));
        FilmMetadata meta = FilmMetadata.of(fields, fieldLimits);
        Path file = inImportDir(fields.get("path"));
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
            throw new ApiException(413, "film-too-large", "the film has " + size + " bytes; the limit is "
                    + limits.maxBytes());
        }
        if (!VideoProbe.looksLikeVideo(VideoProbe.head(file, 256))) {
            throw new ApiException(415, ImageRejected.UNSUPPORTED_TYPE, "not a video container ffmpeg reads");
        }
        VideoProbe.probe(ffprobe, file);
        String sha;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), FilmUploads.sha256())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
        Optional<FilmSubmitted> known = catalog.bySha(sha);
        if (known.isPresent()) {
            ctx.status(200).json(Map.of("id", known.get().filmId(), "duplicate", true));
            return;
        }
        // The file stays where the operator put it: identify reads it there (the path must be the same for it).
        FilmSubmitted film = new FilmSubmitted(FilmSubmitted.CURRENT_VERSION, FilmSubmitted.idOf(sha), sha, size,
                file.toString(), meta.title(), meta.year(), meta.country(), meta.language(), p.name(),
                clock.instant());
        publisher.publish(topics.films(), film);
        catalog.record(film);
        ctx.status(202).json(view(film));
    }

    /** The real path of a regular file inside the import directory; 403 for anything outside it (links too). */
    private Path inImportDir(String requested) throws IOException {
        if (requested == null || requested.isBlank()) {
            throw new ApiException(400, "missing-field", "path is required");
        }
        Path root;
        Path file;
        try {
            root = limits.importDir().toRealPath();
            file = root.resolve(requested).normalize().toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ApiException(404, "not-found", "no such file in the import directory: " + requested);
        }
        if (!file.startsWith(root) || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ApiException(403, "outside-import-dir", "only readable files inside the import directory "
                    + "can be imported");
        }
        return file;
    }

    /** The film, if this caller may see it; 404 otherwise, as for a film that does not exist. */
    private FilmSubmitted visible(Context ctx, Principal p) {
        String id = ctx.pathParam("id");
        FilmSubmitted film = Ids.isSafe(id) ? catalog.film(id).orElse(null) : null;
        if (film == null || !(film.owner().equals(p.name()) || p.has(Role.REVIEWER) || p.has(Role.ADMIN))) {
            throw new ApiException(404, "not-found", "no film " + id);
        }
        return film;
    }

    private FilmView view(FilmSubmitted f) {
        FilmProgress p = catalog.progress(f.filmId()).orElse(null);
        String requested = catalog.requested(f.filmId());
        if (p == null) {
            String status = requested.equals(FilmControl.RUN) ? FilmProgress.QUEUED
                    : requested.equals(FilmControl.PAUSE) ? FilmProgress.PAUSED : FilmProgress.CANCELLED;
            return new FilmView(f.filmId(), f.title(), f.year(), f.country(), f.language(), f.owner(), f.bytes(),
                    f.sha256(), status, requested, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, f.submittedAt(),
                    catalog.appearances(f.filmId()));
        }
        return new FilmView(f.filmId(), f.title(), f.year(), f.country(), f.language(), f.owner(), f.bytes(),
                f.sha256(), p.status(), requested, Math.round(p.percent() * 10) / 10.0, p.framesTotal(),
                p.nextFrame(), p.framesMatched(), p.framesIdentified(), p.appearances(), p.etaSeconds(),
                p.resumedFromFrame(), p.filmSeconds(), p.message(), p.updatedAt(), catalog.appearances(f.filmId()));
    }
}
