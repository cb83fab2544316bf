package dev.reelcars.identify.service;

import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;
import java.util.List;
import static java.time.temporal.ChronoUnit.SECONDS;


/** identify's own settings ({@link IdentifyConfig}); a new one is one more constant here. */
public final class IdentifyKeys {
    public static final Keys KEYS = new Keys("identify");

    public static final Key PORT = KEYS.key("REELCARS_IDENTIFY_PORT", "8082",
            "health and metrics port; `0` picks a free one");
    public static final Key GROUP_ID = KEYS.key("REELCARS_IDENTIFY_GROUP_ID", "reelcars-identify",
            "the stills consumer group; instances in one group share the stills partitions, each holding the whole "
                    + "gallery");
    public static final Key MATCHER = KEYS.key("REELCARS_IDENTIFY_MATCHER", "indexed",
            "`indexed` (vocabulary shortlist + verification) or `exhaustive` (brute force, for comparison)");
    public static final Key ACCEPT_CONFIDENCE = KEYS.computed("REELCARS_IDENTIFY_ACCEPT_CONFIDENCE",
            "the calibrated threshold shipped with the matcher (see identify's README-matcher.md)",
            "confidence (0..1) at or above which a candidate found by local features is proposed; lower finds more "
                    + "at the cost of false matches (indexed matcher only)");
    public static final Key GALLERY_PROFILE = KEYS.key("REELCARS_IDENTIFY_GALLERY_PROFILE", "full",
            "how the gallery is matched: `full`, or `compact` (fewer features, about 31 KB per view instead of 48, "
                    + "heap and descriptor file together, scored by a model fitted on its features; held out, 75 % of "
                    + "real second views identified instead of 79 %, and one more unknown car given a vehicle answer "
                    + "on the composites at 1,000 views: README-matcher, Twentieth round); indexed matcher only");
    public static final Key DESCRIPTORS = KEYS.key("REELCARS_IDENTIFY_DESCRIPTORS", "file",
            "where the reference views' ORB descriptors are kept: `file` (a memory-mapped file in the JVM's temporary "
                    + "directory, unlinked at once; the heap then holds about 17 KB per view instead of 47, and on a "
                    + "disk, not a tmpfs, the page cache holds as much of the file as memory allows), a directory for "
                    + "that file, or `heap` (README-matcher, Eighteenth round; indexed matcher only)");
    public static final Key PLATES = KEYS.key("REELCARS_IDENTIFY_PLATES", "true",
            "the number-plate channel: read the plates of references and compare a still's with them when its "
                    + "features identify nothing; `false` saves about 10 ms per reference and unidentified still "
                    + "(indexed matcher only)");
    public static final Key GALLERY_WAIT = KEYS.key("REELCARS_IDENTIFY_GALLERY_WAIT", "5m",
            "longest wait for the gallery to load before stills are consumed anyway (half a gallery would give "
                    + "wrong \"no match\")", Keys.was("REELCARS_IDENTIFY_GALLERY_WAIT_SECONDS", SECONDS));
    public static final Key MAX_ATTEMPTS = KEYS.key("REELCARS_IDENTIFY_MAX_ATTEMPTS", "3",
            "tries before an unexpectedly failing still is dead-lettered");
    public static final Key FILMS = KEYS.key("REELCARS_IDENTIFY_FILMS", "true",
            "this instance scans films (the film lane)");
    public static final Key FILM_GROUP_ID = KEYS.key("REELCARS_IDENTIFY_FILM_GROUP_ID", "reelcars-identify-films",
            "consumer group sharing film scan requests among instances (the one that takes a film cuts it into "
                    + "segments); its segments are shared by the group of this name plus `-segments`");
    public static final Key FILM_FPS = KEYS.key("REELCARS_IDENTIFY_FILM_FPS", String.valueOf(FilmVideo.DEFAULT_FPS),
            "frames sampled per second of film");
    public static final Key FILM_WIDTH = KEYS.key("REELCARS_IDENTIFY_FILM_WIDTH",
            String.valueOf(FilmVideo.DEFAULT_WIDTH), "widest frame matched (never enlarged)");
    public static final Key FILM_THREADS = KEYS.computed("REELCARS_IDENTIFY_FILM_THREADS", "the number of cores",
            "film frames matched at once; a film worker waits before its next frame while a still is matched");
    public static final Key FILM_CHECKPOINT_FRAMES = KEYS.key("REELCARS_IDENTIFY_FILM_CHECKPOINT_FRAMES", "60",
            "sampled frames between checkpoints (60: a minute of film at 1 fps): the most work a crash costs");
    public static final Key FILM_SEGMENT_SECONDS = KEYS.key("REELCARS_IDENTIFY_FILM_SEGMENT_SECONDS", "300",
            "film seconds per segment: a film is cut into segments of about this length (a shorter film is one) that "
                    + "instances scan at once, so N instances scan one film about N times faster");
    public static final Key FFMPEG = KEYS.key("REELCARS_IDENTIFY_FFMPEG", "ffmpeg", "the ffmpeg program");
    public static final Key FFPROBE = KEYS.key("REELCARS_IDENTIFY_FFPROBE", "ffprobe", "the ffprobe program");

    private IdentifyKeys() {
    }

    /** Every key identify reads: its own and the shared ones. */
    public static List<Keys> all() {
        return List.of(CommonKeys.KEYS, KEYS);
    }
}
