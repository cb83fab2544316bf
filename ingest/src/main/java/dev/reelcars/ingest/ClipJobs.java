package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs clip jobs on a small pool: sample frames with {@link FrameSampler}, then submit each kept frame as a still
 * (with the clip id and its timecode) through the same validation and duplicate checks as an upload. Jobs live in
 * memory (the last {@value #REMEMBERED} are kept); a restart forgets their progress, never the stills they made,
 * which are on the stills topic.
 */
final class ClipJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClipJobs.class);
    private static final int REMEMBERED = 1000;

    private final IngestConfig.ClipLimits limits;
    private final ImageValidator validator;
    private final Submissions submissions;
    private final ExecutorService pool;
    private final Map<String, ClipJob> jobs = new LinkedHashMap<>();
    private final Decoders decoders = new Decoders();

    ClipJobs(IngestConfig.ClipLimits limits, ImageValidator validator, Submissions submissions) {
        this.limits = limits;
        this.validator = validator;
        this.submissions = submissions;
        this.pool = Executors.newFixedThreadPool(limits.workers(), r -> {
            Thread t = new Thread(r, "ingest-clip-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            Files.createDirectories(limits.workDir());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create clip work directory " + limits.workDir(), e);
        }
    }

    Path workDir() {
        return limits.workDir();
    }

    /** Queues a job for a clip file this class now owns (it deletes it when the job ends). */
    ClipJob submit(String clipId, Path clip, VideoProbe.Info info, Metadata meta) {
        ClipJob job = new ClipJob(clipId, info, limits.sampleFps(), limits.maxClipSeconds());
        synchronized (jobs) {
            jobs.put(clipId, job);
            forgetOldFinished();
        }
        try {
            pool.execute(() -> run(job, clip, info, meta));
        } catch (RejectedExecutionException e) {
            delete(clip);
            throw new ApiException(503, "unavailable", "ingest is stopping");
        }
        return job;
    }

    Optional<ClipJob> find(String clipId) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(clipId));
        }
    }

    private void run(ClipJob job, Path clip, VideoProbe.Info info, Metadata meta) {
        job.running();
        long t0 = System.nanoTime();
        try {
            FrameSampler sampler = new FrameSampler(limits.ffmpeg(), limits.sampleFps(), limits.maxFramesPerClip(),
                    decoders);
            FrameSampler.Result result = sampler.sample(clip, info, limits.maxClipSeconds(), job::progress);
            job.sampled(result);
            for (FrameSampler.Frame frame : result.frames()) {
                String timecode = Timecodes.offset(meta.timecode(), frame.seconds());
                try {
                    ValidatedImage image = validator.validate(frame.jpeg());
                    SubmitResult r = submissions.submitStill(image, meta.withTimecode(timecode), job.id());
                    job.kept(new ClipJob.KeptStill(r.id(), timecode, r.duplicate(), r.duplicateOf()));
                } catch (ApiException e) {
                    job.error("frame at " + timecode + " not submitted: " + e.code() + ": " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            job.error("cancelled: ingest is stopping");
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A job must end with a report, whatever broke inside it; the worker thread lives on for the next one.
            log.error("clip job {} failed", job.id(), e);
            job.error("internal error: " + e);
        } finally {
            job.finish();
            delete(clip);
            log.info("clip {} {} in {} ms", job.id(), job.status().status(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void forgetOldFinished() {
        Iterator<ClipJob> it = jobs.values().iterator();
        while (jobs.size() > REMEMBERED && it.hasNext()) {
            if (it.next().finished()) {
                it.remove();
            }
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}", file, e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        // Workers blocked reading a decoder's pipe do not see the interrupt: ending the decoder ends the read, and
        // a worker about to start one is refused.
        decoders.close();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("clip workers did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
