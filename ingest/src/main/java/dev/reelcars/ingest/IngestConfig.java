package dev.reelcars.ingest;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything ingest is configured with, read once from {@link Settings} (environment variables in production).
 * Every key, its default and its meaning is listed in {@link #from} and in the module README.
 *
 * @param common shared settings: Kafka, topics, data and blob directories
 * @param port HTTP port; 0 picks a free one
 * @param publishTimeout how long an upload waits for the broker's acknowledgement before answering 503
 * @param retryAfterSeconds the {@code Retry-After} sent with a 503
 * @param nearDuplicateDistance the largest perceptual-hash Hamming distance that counts as the same shot
 * @param replayTimeout how long start may take to rebuild the duplicate index from the topics
 * @param uploads caps on image uploads and metadata
 * @param clips caps and tools for clip uploads
 * @param films caps and directories of whole-film uploads
 * @param rate per-account and per-address rate limit
 * @param accounts token secret and the page's origins (shared with notify)
 * @param anonymousStills whether stills may be uploaded without signing in (a closed demo); off by default
 * @param bindAddress the interface the HTTP port listens on ({@code REELCARS_BIND_ADDRESS})
 */
public record IngestConfig(
        Common common,
        int port,
        Duration publishTimeout,
        int retryAfterSeconds,
        int nearDuplicateDistance,
        Duration replayTimeout,
        UploadLimits uploads,
        ClipLimits clips,
        FilmLimits films,
        RateLimit rate,
        AccountsConfig accounts,
        boolean anonymousStills,
        String bindAddress) {

    public IngestConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        Objects.requireNonNull(replayTimeout, "replayTimeout");
        Objects.requireNonNull(uploads, "uploads");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(films, "films");
        Objects.requireNonNull(rate, "rate");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
    }

    /**
     * Caps on an image upload.
     *
     * @param maxImageBytes largest image file accepted (413 {@code file-too-large} above)
     * @param maxPixels largest width x height accepted, read from the header before decoding (413
     *     {@code too-many-pixels})
     * @param maxFieldChars longest film, timecode, contributor, label, make or model (400 {@code field-too-long})
     * @param maxNoteChars longest note (400 {@code field-too-long})
     * @param stripTrailingData cut off bytes after an image's end marker instead of refusing them (422
     *     {@code trailing-data})
     * @param maxConcurrentDecodes images decoded at once (uploads and clip frames); more wait, then get 503
     *     {@code busy}
     */
    public record UploadLimits(long maxImageBytes, long maxPixels, int maxFieldChars, int maxNoteChars,
            boolean stripTrailingData, int maxConcurrentDecodes) {
    }

    /**
     * Caps and tools for clips.
     *
     * @param maxClipBytes largest clip file accepted (413 {@code file-too-large})
     * @param maxClipSeconds longest clip accepted, read with ffprobe before decoding (413 {@code clip-too-long})
     * @param maxFramesPerClip most stills kept from one clip
     * @param sampleFps frames per second looked at while choosing stills
     * @param ffmpeg the ffmpeg program
     * @param ffprobe the ffprobe program
     * @param workers clips decoded at once
     * @param workDir where uploaded clips wait for their job (deleted when it ends)
     */
    public record ClipLimits(long maxClipBytes, int maxClipSeconds, int maxFramesPerClip, double sampleFps,
            String ffmpeg, String ffprobe, int workers, Path workDir) {
    }

    /**
     * Caps and directories of whole films (resumable tus uploads and operators' imports).
     *
     * @param maxBytes largest film (413 {@code film-too-large}, from the {@code Upload-Length} header before any byte)
     * @param quotaBytes most bytes one account may hold in films and open uploads together (413
     *     {@code quota-exceeded})
     * @param openUploadsPerAccount most unfinished uploads one account may have at once (429 {@code too-many-uploads})
     * @param filmDir where finished films are kept as {@code <sha256>.film}; shared with identify
     *     ({@code REELCARS_FILM_DIR})
     * @param partsDir where uploads in progress are kept, resumable across restarts
     * @param importDir the only directory operators may start a film job from ({@code POST /api/films/import})
     * @param uploadExpiry how long an upload nobody continues is kept
     */
    public record FilmLimits(long maxBytes, long quotaBytes, int openUploadsPerAccount, Path filmDir, Path partsDir,
            Path importDir, Duration uploadExpiry) {
    }

    /**
     * Token buckets per account and per client address (an upload takes one from each).
     *
     * @param perMinute sustained uploads per minute; 0 turns the limit off
     * @param burst uploads allowed at once before the rate applies
     */
    public record RateLimit(int perMinute, int burst) {
        public boolean enabled() {
            return perMinute > 0;
        }
    }

    public static IngestConfig from(Settings s) {
        Common common = Common.from(s, "ingest");
        UploadLimits uploads = new UploadLimits(
                // 20 MiB holds a 50-megapixel JPEG at high quality; film stills are far smaller.
                s.longValue("INGEST_MAX_IMAGE_BYTES", 20L << 20, 1024, 1L << 31),
                // 50 megapixels decode to 150 MB of BGR: the most one upload may cost in memory.
                s.longValue("INGEST_MAX_PIXELS", 50_000_000L, 1, 1L << 30),
                s.integer("INGEST_MAX_FIELD_CHARS", 200, 1, 10_000),
                s.integer("INGEST_MAX_NOTE_CHARS", 2000, 1, 100_000),
                // Refusing is the safe default: a polyglot (image + script) is never stored. Some real files carry
                // junk after EOI; an operator who sees them refused may choose to strip instead.
                s.bool("INGEST_STRIP_TRAILING_DATA", false),
                // Each decode may hold maxPixels bytes and a core: bound them so a burst of big uploads queues.
                s.integer("INGEST_MAX_CONCURRENT_DECODES", Runtime.getRuntime().availableProcessors(), 1, 1024));
        ClipLimits clips = new ClipLimits(
                s.longValue("INGEST_MAX_CLIP_BYTES", 200L << 20, 1024, 1L << 40),
                s.integer("INGEST_MAX_CLIP_SECONDS", 600, 1, 86_400),
                s.integer("INGEST_MAX_FRAMES_PER_CLIP", 12, 1, 1000),
                s.decimal("INGEST_CLIP_SAMPLE_FPS", 4.0, 0.1, 60),
                s.string("INGEST_FFMPEG", "ffmpeg"),
                s.string("INGEST_FFPROBE", "ffprobe"),
                s.integer("INGEST_CLIP_WORKERS", 1, 1, 64),
                s.path("INGEST_CLIP_DIR", common.dataDir().resolve("ingest-clips")));
        FilmLimits films = new FilmLimits(
                // A feature film at a contributor's quality is 1-4 GB.
                s.longValue("REELCARS_INGEST_FILM_MAX_BYTES", 4L << 30, 1024, 1L << 40),
                s.longValue("REELCARS_INGEST_FILM_QUOTA_BYTES", 20L << 30, 1024, 1L << 50),
                s.integer("REELCARS_INGEST_FILM_OPEN_UPLOADS", 3, 1, 100),
                s.path("REELCARS_FILM_DIR", common.dataDir().resolve("films")),
                s.path("REELCARS_INGEST_FILM_PARTS_DIR", common.dataDir().resolve("film-uploads")),
                s.path("REELCARS_INGEST_FILM_IMPORT_DIR", common.dataDir().resolve("film-import")),
                Duration.ofHours(s.integer("REELCARS_INGEST_FILM_UPLOAD_EXPIRY_HOURS", 48, 1, 24 * 365)));
        RateLimit rate = new RateLimit(
                s.integer("INGEST_RATE_PER_MINUTE", 60, 0, 1_000_000),
                s.integer("INGEST_RATE_BURST", 20, 1, 1_000_000));
        return new IngestConfig(
                common,
                s.integer("INGEST_PORT", 8081, 0, 65535),
                Duration.ofMillis(s.longValue("INGEST_PUBLISH_TIMEOUT_MS", 10_000, 100, 600_000)),
                s.integer("INGEST_RETRY_AFTER_SECONDS", 30, 1, 3600),
                s.integer("INGEST_NEAR_DUPLICATE_DISTANCE", 8, 0, 32),
                Duration.ofMillis(s.longValue("INGEST_REPLAY_TIMEOUT_MS", 60_000, 1000, 3_600_000)),
                uploads,
                clips,
                films,
                rate,
                AccountsConfig.from(s, common.dataDir()),
                s.bool("REELCARS_ANONYMOUS_STILLS", false),
                BindAddress.from(s));
    }
}
