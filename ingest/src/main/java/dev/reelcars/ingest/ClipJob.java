package dev.reelcars.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The progress of one clip, updated by its worker and read by {@code GET /api/clips/{id}}. Only the snapshot
 * ({@link Status}) leaves this class, so readers never see a half-updated job.
 */
final class ClipJob {
    enum State { QUEUED, RUNNING, DONE, FAILED }

    /** A still made from the clip: its id, where it was in the clip, and what duplicate detection said. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeptStill(String stillId, String timecode, Boolean duplicate, String duplicateOf) {
    }

    /** The job as JSON: {@code status} is queued, running, done or failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(String id, String status, int framesDone, int framesTotal, Integer shots, Integer blackFrames,
            String codec, Double durationSeconds, List<KeptStill> stills, List<String> errors) {
    }

    private final String id;
    private final String codec;
    private final double durationSeconds;
    private int framesTotal;
    private State state = State.QUEUED;
    private int framesDone;
    private Integer shots;
    private Integer blackFrames;
    private final List<KeptStill> stills = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    ClipJob(String id, VideoProbe.Info info, double sampleFps, int maxSeconds) {
        this.id = id;
        this.codec = info.codec();
        this.durationSeconds = info.durationSeconds();
        double seconds = Double.isNaN(durationSeconds) ? maxSeconds : Math.min(durationSeconds, maxSeconds);
        this.framesTotal = (int) Math.ceil(seconds * sampleFps);
    }

    String id() {
        return id;
    }

    synchronized void running() {
        state = State.RUNNING;
    }

    synchronized void progress(int done) {
        framesDone = done;
    }

    synchronized void sampled(FrameSampler.Result result) {
        framesDone = result.framesRead();
        // The estimate from the duration is replaced by what the decoder actually delivered.
        framesTotal = result.framesRead();
        shots = result.shots();
        blackFrames = result.blackFrames();
        errors.addAll(result.errors());
    }

    synchronized void kept(KeptStill still) {
        stills.add(still);
    }

    synchronized void error(String message) {
        errors.add(message);
    }

    /** Done when at least one still came out (errors, if any, say what was lost); failed otherwise. */
    synchronized void finish() {
        state = stills.isEmpty() && !errors.isEmpty() ? State.FAILED : State.DONE;
    }

    synchronized boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }

    synchronized Status status() {
        return new Status(id, state.name().toLowerCase(), framesDone, Math.max(framesTotal, framesDone), shots,
                blackFrames, codec, Double.isNaN(durationSeconds) ? null : durationSeconds, List.copyOf(stills),
                List.copyOf(errors));
    }
}
