package dev.reelcars.ingest;

import static java.time.temporal.ChronoUnit.MILLIS;
import static java.time.temporal.ChronoUnit.SECONDS;

import dev.reelcars.accounts.AccountsKeys;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;
import java.util.List;

/** ingest's own settings ({@link IngestConfig}); a new one is one more constant here. */
public final class IngestKeys {
    public static final Keys KEYS = new Keys("ingest");

    public static final Key PORT = KEYS.key("REELCARS_INGEST_PORT", "8081", "HTTP port; `0` picks a free one",
            Keys.was("INGEST_PORT"));
    public static final Key ANONYMOUS_STILLS = KEYS.key("REELCARS_INGEST_ANONYMOUS_STILLS", "false",
            "`true` lets anyone upload stills without signing in (a closed demo); references and clips always need "
                    + "an account", Keys.was("REELCARS_ANONYMOUS_STILLS"));
    // 20 MiB holds a 50-megapixel JPEG at high quality; film stills are far smaller.
    public static final Key MAX_IMAGE_BYTES = KEYS.key("REELCARS_INGEST_MAX_IMAGE_BYTES", "20971520",
            "largest image file, in bytes (413 `file-too-large`)", Keys.was("INGEST_MAX_IMAGE_BYTES"));
    // 50 megapixels decode to 150 MB of BGR: the most one upload may cost in memory.
    public static final Key MAX_PIXELS = KEYS.key("REELCARS_INGEST_MAX_PIXELS", "50000000",
            "largest width x height, read from the header before decoding (413 `too-many-pixels`)",
            Keys.was("INGEST_MAX_PIXELS"));
    public static final Key MAX_FIELD_CHARS = KEYS.key("REELCARS_INGEST_MAX_FIELD_CHARS", "200",
            "longest `film`, `timecode`, `label`, `make`, `model` (400 `field-too-long`)",
            Keys.was("INGEST_MAX_FIELD_CHARS"));
    public static final Key MAX_NOTE_CHARS = KEYS.key("REELCARS_INGEST_MAX_NOTE_CHARS", "2000",
            "longest `note` (400 `field-too-long`)", Keys.was("INGEST_MAX_NOTE_CHARS"));
    // Refusing is the safe default: a polyglot (image + script) is never stored. Some real files carry junk after
    // EOI; an operator who sees them refused may choose to strip instead.
    public static final Key STRIP_TRAILING_DATA = KEYS.key("REELCARS_INGEST_STRIP_TRAILING_DATA", "false",
            "bytes after an image's end marker are refused (422 `trailing-data`); `true` cuts them off and stores "
                    + "the image alone", Keys.was("INGEST_STRIP_TRAILING_DATA"));
    // Each decode may hold maxPixels bytes and a core: bound them so a burst of big uploads queues.
    public static final Key MAX_CONCURRENT_DECODES = KEYS.computed("REELCARS_INGEST_MAX_CONCURRENT_DECODES",
            "number of cores", "images decoded at once (uploads and clip frames); others wait up to 30 s, then 503 "
                    + "`busy`", Keys.was("INGEST_MAX_CONCURRENT_DECODES"));
    public static final Key MAX_CLIP_BYTES = KEYS.key("REELCARS_INGEST_MAX_CLIP_BYTES", "209715200",
            "largest clip file, in bytes (413 `file-too-large`)", Keys.was("INGEST_MAX_CLIP_BYTES"));
    public static final Key MAX_CLIP_DURATION = KEYS.key("REELCARS_INGEST_MAX_CLIP_DURATION", "10m",
            "longest clip, from ffprobe before decoding (413 `clip-too-long`); decoding also stops there",
            Keys.was("INGEST_MAX_CLIP_SECONDS", SECONDS));
    public static final Key MAX_FRAMES_PER_CLIP = KEYS.key("REELCARS_INGEST_MAX_FRAMES_PER_CLIP", "12",
            "most stills kept from one clip (the sharpest shots win)", Keys.was("INGEST_MAX_FRAMES_PER_CLIP"));
    public static final Key CLIP_SAMPLE_FPS = KEYS.key("REELCARS_INGEST_CLIP_SAMPLE_FPS", "4",
            "frames per second looked at while choosing stills", Keys.was("INGEST_CLIP_SAMPLE_FPS"));
    public static final Key FFMPEG = KEYS.key("REELCARS_INGEST_FFMPEG", "ffmpeg", "the ffmpeg program",
            Keys.was("INGEST_FFMPEG"));
    public static final Key FFPROBE = KEYS.key("REELCARS_INGEST_FFPROBE", "ffprobe", "the ffprobe program",
            Keys.was("INGEST_FFPROBE"));
    public static final Key CLIP_WORKERS = KEYS.key("REELCARS_INGEST_CLIP_WORKERS", "1",
            "clips decoded at once (each runs one ffmpeg process)", Keys.was("INGEST_CLIP_WORKERS"));
    public static final Key CLIP_DIR = KEYS.computed("REELCARS_INGEST_CLIP_DIR", "`$REELCARS_DATA_DIR/ingest-clips`",
            "where an uploaded clip waits for its job; deleted when the job ends", Keys.was("INGEST_CLIP_DIR"));
    public static final Key FILM_MAX_BYTES = KEYS.key("REELCARS_INGEST_FILM_MAX_BYTES", String.valueOf(4L << 30),
            "largest film, in bytes, from `Upload-Length` before a byte is stored (413 `film-too-large`)");
    public static final Key FILM_QUOTA_BYTES = KEYS.key("REELCARS_INGEST_FILM_QUOTA_BYTES",
            String.valueOf(20L << 30),
            "bytes one account may hold in films and unfinished uploads together (413 `quota-exceeded`)");
    public static final Key FILM_OPEN_UPLOADS = KEYS.key("REELCARS_INGEST_FILM_OPEN_UPLOADS", "3",
            "unfinished film uploads one account may have at once (429 `too-many-uploads`)");
    public static final Key FILM_PARTS_DIR = KEYS.computed("REELCARS_INGEST_FILM_PARTS_DIR",
            "`$REELCARS_DATA_DIR/film-uploads`", "unfinished film uploads (tus), resumable across restarts");
    public static final Key FILM_IMPORT_DIR = KEYS.computed("REELCARS_INGEST_FILM_IMPORT_DIR",
            "`$REELCARS_DATA_DIR/film-import`", "the only directory admins may start a film job from");
    public static final Key FILM_UPLOAD_EXPIRY = KEYS.key("REELCARS_INGEST_FILM_UPLOAD_EXPIRY", "48h",
            "an unfinished film upload untouched this long is deleted");
    public static final Key RATE_PER_MINUTE = KEYS.key("REELCARS_INGEST_RATE_PER_MINUTE", "60",
            "sustained uploads a minute, counted per account *and* per client address; `0` turns the limit off "
                    + "(429 `rate-limited` + `Retry-After`, decided from the headers)",
            Keys.was("INGEST_RATE_PER_MINUTE"));
    public static final Key RATE_BURST = KEYS.key("REELCARS_INGEST_RATE_BURST", "20",
            "uploads allowed at once before the rate applies", Keys.was("INGEST_RATE_BURST"));
    public static final Key PUBLISH_TIMEOUT = KEYS.key("REELCARS_INGEST_PUBLISH_TIMEOUT", "10s",
            "longest wait for Kafka's acknowledgement before answering 503",
            Keys.was("INGEST_PUBLISH_TIMEOUT_MS", MILLIS));
    public static final Key RETRY_AFTER = KEYS.key("REELCARS_INGEST_RETRY_AFTER", "30s",
            "`Retry-After` sent with a 503 (whole seconds)", Keys.was("INGEST_RETRY_AFTER_SECONDS", SECONDS));
    public static final Key NEAR_DUPLICATE_DISTANCE = KEYS.key("REELCARS_INGEST_NEAR_DUPLICATE_DISTANCE", "8",
            "largest perceptual-hash Hamming distance (of 64 bits) that counts as the same shot",
            Keys.was("INGEST_NEAR_DUPLICATE_DISTANCE"));
    public static final Key REPLAY_TIMEOUT = KEYS.key("REELCARS_INGEST_REPLAY_TIMEOUT", "60s",
            "longest start-up wait for the duplicate index to be rebuilt from the topics",
            Keys.was("INGEST_REPLAY_TIMEOUT_MS", MILLIS));

    private IngestKeys() {
    }

    /** Every key ingest reads: its own, the shared ones and the accounts'. */
    public static List<Keys> all() {
        return List.of(CommonKeys.KEYS, AccountsKeys.KEYS, KEYS);
    }
}
