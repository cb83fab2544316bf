package dev.reelcars.ingest;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import dev.reelcars.platform.http.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything ingest is configured with, read once from {@link Settings} (environment variables in production).
 * Every key, its default and its meaning is declared in {@link IngestKeys} and listed in the module README.
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
 * @param rate per-account and per-address rate limit (token buckets: an upload takes one from each)
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

    public static IngestConfig from(Settings s) {
        Common common = Common.from(s, "ingest");
        return from(s, common, AccountsConfig.from(s, common.dataDir()));
    }

    /** ingest's settings with the shared ones already made (the launcher's, for every service alike). */
    public static IngestConfig from(Settings s, Common common, AccountsConfig accounts) {
        UploadLimits uploads = new UploadLimits(
                s.longValue(IngestKeys.MAX_IMAGE_BYTES, 1024, 1L << 31),
                s.longValue(IngestKeys.MAX_PIXELS, 1, 1L << 30),
                s.integer(IngestKeys.MAX_FIELD_CHARS, 1, 10_000),
                s.integer(IngestKeys.MAX_NOTE_CHARS, 1, 100_000),
                s.bool(IngestKeys.STRIP_TRAILING_DATA),
                s.integer(IngestKeys.MAX_CONCURRENT_DECODES, Runtime.getRuntime().availableProcessors(), 1, 1024));
        ClipLimits clips = new ClipLimits(
                s.longValue(IngestKeys.MAX_CLIP_BYTES, 1024, 1L << 40),
                (int) s.duration(IngestKeys.MAX_CLIP_DURATION, Duration.ofSeconds(1), Duration.ofDays(1)).toSeconds(),
                s.integer(IngestKeys.MAX_FRAMES_PER_CLIP, 1, 1000),
                s.decimal(IngestKeys.CLIP_SAMPLE_FPS, 0.1, 60),
                s.string(IngestKeys.FFMPEG),
                s.string(IngestKeys.FFPROBE),
                s.integer(IngestKeys.CLIP_WORKERS, 1, 64),
                s.path(IngestKeys.CLIP_DIR, common.dataDir().resolve("ingest-clips")));
        FilmLimits films = new FilmLimits(
                // A feature film at a contributor's quality is 1-4 GB.
                s.longValue(IngestKeys.FILM_MAX_BYTES, 1024, 1L << 40),
                s.longValue(IngestKeys.FILM_QUOTA_BYTES, 1024, 1L << 50),
                s.integer(IngestKeys.FILM_OPEN_UPLOADS, 1, 100),
                s.path(CommonKeys.FILM_DIR, common.dataDir().resolve("films")),
                s.path(IngestKeys.FILM_PARTS_DIR, common.dataDir().resolve("film-uploads")),
                s.path(IngestKeys.FILM_IMPORT_DIR, common.dataDir().resolve("film-import")),
                s.duration(IngestKeys.FILM_UPLOAD_EXPIRY, Duration.ofHours(1), Duration.ofDays(365)));
        RateLimit rate = new RateLimit(
                s.integer(IngestKeys.RATE_PER_MINUTE, 0, 1_000_000),
                s.integer(IngestKeys.RATE_BURST, 1, 1_000_000));
        return new IngestConfig(
                common,
                s.integer(IngestKeys.PORT, 0, 65535),
                s.duration(IngestKeys.PUBLISH_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(10)),
                (int) s.duration(IngestKeys.RETRY_AFTER, Duration.ofSeconds(1), Duration.ofHours(1)).toSeconds(),
                s.integer(IngestKeys.NEAR_DUPLICATE_DISTANCE, 0, 32),
                s.duration(IngestKeys.REPLAY_TIMEOUT, Duration.ofSeconds(1), Duration.ofHours(1)),
                uploads,
                clips,
                films,
                rate,
                accounts,
                s.bool(IngestKeys.ANONYMOUS_STILLS),
                BindAddress.from(s));
    }
}
