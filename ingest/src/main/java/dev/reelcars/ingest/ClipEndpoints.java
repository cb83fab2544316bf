package dev.reelcars.ingest;

import dev.reelcars.events.Ids;
import dev.reelcars.platform.http.ApiException;
import io.javalin.http.Context;
import java.nio.file.Path;

/**
 * {@code POST /api/clips} (multipart {@code video} + the still metadata) starts a job and answers 202 at once;
 * {@code GET /api/clips/{id}} reports it. A clip is checked before it is queued: container magic bytes (415),
 * ffprobe can read a video stream (422), duration and frame size within the caps (413).
 */
final class ClipEndpoints {
    private final IngestConfig.ClipLimits limits;
    private final IngestConfig.UploadLimits uploads;
    private final ClipJobs jobs;
    private final Path spoolDir;

    ClipEndpoints(IngestConfig.ClipLimits limits, IngestConfig.UploadLimits uploads, ClipJobs jobs, Path spoolDir) {
        this.limits = limits;
        this.uploads = uploads;
        this.jobs = jobs;
        this.spoolDir = spoolDir;
    }

    void postClip(Context ctx) {
        String clipId = Ids.newId("clip");
        Path clip = jobs.workDir().resolve(clipId + ".video");
        boolean queued = false;
        int fieldBytes = Math.max(uploads.maxFieldChars(), uploads.maxNoteChars()) * 4;
        try (MultipartUpload form = MultipartUpload.read(ctx, "video", limits.maxClipBytes(), fieldBytes,
                spoolDir)) {
            Metadata meta = Metadata.read(form::field, uploads, UploadGate.contributor(ctx));
            if (form.fileSize() == 0) {
                throw new ApiException(400, ImageRejected.EMPTY_FILE, "the uploaded clip is empty");
            }
            form.copyFileTo(clip);
            if (!VideoProbe.looksLikeVideo(VideoProbe.head(clip, 256))) {
                throw new ApiException(415, ImageRejected.UNSUPPORTED_TYPE,
                        "not a video container ffmpeg reads (AVI, MP4/MOV, Matroska/WebM, MPEG, Ogg)");
            }
            VideoProbe.Info info = VideoProbe.probe(limits.ffprobe(), clip);
            if (!Double.isNaN(info.durationSeconds()) && info.durationSeconds() > limits.maxClipSeconds()) {
                throw new ApiException(413, "clip-too-long", String.format("the clip lasts %.1f s; the limit is %d s",
                        info.durationSeconds(), limits.maxClipSeconds()));
            }
            if ((long) info.width() * info.height() > uploads.maxPixels()) {
                throw new ApiException(413, ImageRejected.TOO_MANY_PIXELS, "the clip's frames are " + info.width()
                        + "x" + info.height() + "; the limit is " + uploads.maxPixels() + " pixels");
            }
            ClipJob job = jobs.submit(clipId, clip, info, meta);
            queued = true;
            ctx.status(202).json(job.status());
        } finally {
            if (!queued) {
                ClipJobs.delete(clip);
            }
        }
    }

    void getClip(Context ctx) {
        String id = ctx.pathParam("id");
        ClipJob job = Ids.isSafe(id) ? jobs.find(id).orElse(null) : null;
        if (job == null) {
            throw new ApiException(404, "not-found", "no clip job " + id);
        }
        ctx.json(job.status());
    }
}
