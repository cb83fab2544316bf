package dev.reelcars.identify.film;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns per-frame identifications, offered in time order, into appearances: the sampled frames that identify the
 * same label, with gaps of at most {@code maxGapSeconds} between them (a frame the matcher missed while the car was
 * still on screen, or a car briefly hidden), are one appearance. Its score is the <em>highest</em> confidence of its
 * frames: the frames of one shot are not independent evidence (the same car, the same light), so a noisy-or would
 * call a long run of weak matches certain. An appearance supported by one frame only whose score is below
 * {@code singleFrameMinScore} is dropped: an isolated weak match is far likelier a false one than a car on screen for
 * less than a sample period. So is any appearance whose score is below {@code minScore} (the film lane and
 * {@code scan} pass the engine's vehicle threshold, {@code EngineConfig.vehicleConfidence()}, that of the model its
 * gallery profile scores with; not tuned on a film: on the tuning film it changed nothing): a film scan lists the vehicles it saw, and frames that never showed more than "the same
 * model" do not say that one of them was on screen.
 *
 * <p>A film job checkpoints the merger: {@link #open()} is what is still open, {@link #restore} puts it back after a
 * restart, and {@link #drain()} hands over the appearances closed since the last call, with their best frame's time.
 */
public final class AppearanceMerger {
    /** One appearance: {@code end} is the last supporting frame's time plus the sample period it stands for. */
    public record Appearance(String label, double start, double end, int frames, double score) {}

    /** A closed appearance and the time of its highest-scoring frame (the evidence a reviewer sees). */
    public record Found(Appearance appearance, double best) {}

    /** An appearance not closed yet, as a checkpoint keeps it. */
    public record Open(String label, double start, double last, int frames, double score, double best) {}

    private final double samplePeriod;
    private final double maxGapSeconds;
    private final double singleFrameMinScore;
    private final double minScore;
    private final Map<String, Run> open = new LinkedHashMap<>();
    private final List<Found> closed = new ArrayList<>();
    private int drained;
    private double lastTime = Double.NEGATIVE_INFINITY;

    private static final class Run {
        final double start;
        double last;
        int frames;
        double score;
        double best;

        Run(double start) {
            this.start = start;
        }
    }

    public AppearanceMerger(double samplePeriod, double maxGapSeconds, double singleFrameMinScore, double minScore) {
        if (!(samplePeriod > 0) || maxGapSeconds < 0 || singleFrameMinScore < 0 || singleFrameMinScore > 1
                || minScore < 0 || minScore > 1) {
            throw new IllegalArgumentException("sample period must be > 0, gap >= 0, minimum scores within 0..1");
        }
        this.minScore = minScore;
        this.samplePeriod = samplePeriod;
        this.maxGapSeconds = maxGapSeconds;
        this.singleFrameMinScore = singleFrameMinScore;
    }

    /**
     * One sampled frame at {@code seconds} (not earlier than the previous one) and the labels it identifies with
     * their confidence (empty: nothing identified).
     */
    public void offer(double seconds, Map<String, Double> labels) {
        if (seconds < lastTime) {
            throw new IllegalArgumentException("frames must be offered in time order: " + seconds + " after "
                    + lastTime);
        }
        lastTime = seconds;
        closeStale(seconds);
        labels.forEach((label, confidence) -> {
            Run o = open.computeIfAbsent(label, l -> new Run(seconds));
            o.last = seconds;
            o.frames++;
            if (o.frames == 1 || confidence > o.score) {
                o.score = confidence;
                o.best = seconds;
            }
        });
    }

    /** Appearances closed so far (every one once {@link #finish} ran), by start time. */
    List<Appearance> appearances() {
        List<Appearance> sorted = new ArrayList<>(closed.stream().map(Found::appearance).toList());
        sorted.sort(Comparator.comparingDouble(Appearance::start).thenComparing(Appearance::label));
        return sorted;
    }

    /** Closes every open appearance; returns all appearances by start time. */
    public List<Appearance> finish() {
        closeStale(Double.POSITIVE_INFINITY);
        return appearances();
    }

    /** The appearances closed since the previous call, in the order they closed. */
    public List<Found> drain() {
        List<Found> news = List.copyOf(closed.subList(drained, closed.size()));
        drained = closed.size();
        return news;
    }

    /**
     * The best frames' times of the appearances open or closed and not yet drained: the frames whose pixels a film
     * job must still have when it drains them.
     */
    public Set<Double> evidenceTimes() {
        Set<Double> times = new HashSet<>();
        open.values().forEach(o -> times.add(o.best));
        closed.subList(drained, closed.size()).forEach(f -> times.add(f.best()));
        return times;
    }

    /** The appearances still open, for a checkpoint. */
    public List<Open> open() {
        List<Open> out = new ArrayList<>();
        open.forEach((label, o) -> out.add(new Open(label, o.start, o.last, o.frames, o.score, o.best)));
        return out;
    }

    /** Puts back what a checkpoint kept open; frames offered next must not be earlier than {@code resumeAt}. */
    public void restore(List<Open> state, double resumeAt) {
        if (!open.isEmpty() || !closed.isEmpty()) {
            throw new IllegalStateException("restore into a fresh merger only");
        }
        for (Open s : state) {
            Run o = new Run(s.start());
            o.last = s.last();
            o.frames = s.frames();
            o.score = s.score();
            o.best = s.best();
            open.put(s.label(), o);
        }
        lastTime = resumeAt;
    }

    private void closeStale(double now) {
        open.entrySet().removeIf(e -> {
            Run o = e.getValue();
            // A gap is the time between two supporting frames minus the one sample period that always separates them.
            if (now - o.last - samplePeriod <= maxGapSeconds + 1e-9) {
                return false;
            }
            if ((o.frames > 1 || o.score >= singleFrameMinScore) && o.score >= minScore) {
                closed.add(new Found(new Appearance(e.getKey(), o.start, o.last + samplePeriod, o.frames,
                        o.score), o.best));
            }
            return true;
        });
    }
}
