package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A whole film to scan, keyed by {@code filmId} on the compacted films topic. ingest publishes it when an upload is
 * complete (or an operator starts a job from a server path), and again when its owner resumes a paused scan: each
 * record is a request to identify that the film be scanned to its end, from its last checkpoint.
 *
 * <p>The bytes are never in the event. {@code source} is a file name in the shared film directory
 * ({@code REELCARS_FILM_DIR}; an uploaded film is stored as {@code <sha256>.film}) or, for an operator's import, an
 * absolute path every identify instance can read. The film id is derived from the content's sha-256, so the same
 * film submitted twice is one film.
 *
 * @param sha256 the content's sha-256, 64 lower-case hex digits
 * @param bytes the file's size
 * @param owner the account that submitted it (the only contributor who may watch, pause, resume or cancel it)
 */
public record FilmSubmitted(
        int schemaVersion,
        String filmId,
        String sha256,
        long bytes,
        String source,
        String title,
        Integer year,
        String country,
        String language,
        String owner,
        Instant submittedAt) implements Event {

    public static final int CURRENT_VERSION = 1;
    public static final String ID_PREFIX = "film-";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public FilmSubmitted {
        Ids.require(filmId, "filmId");
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive, got " + bytes);
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must not be blank");
        }
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank");
        }
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }

    /** The film id of a content hash: the same bytes are always the same film. */
    public static String idOf(String sha256) {
        return ID_PREFIX + sha256.substring(0, 32);
    }

    @Override
    public String key() {
        return filmId;
    }
}
