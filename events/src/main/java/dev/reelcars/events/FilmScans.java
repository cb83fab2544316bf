package dev.reelcars.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One view of a film's scan from its segments' latest checkpoints: identify (to know whether a film is finished) and
 * ingest ({@code GET /api/films/{id}}) both apply this rule, so they cannot disagree.
 *
 * <ul>
 *   <li>frames covered, matched and identified, and appearances, are the segments' sums; a segment's frames covered
 *       are those of its own range (the frames it reads before and after its range to join appearances at its edges
 *       are not counted twice);</li>
 *   <li>the status is {@code done} once every segment is done; else {@code running} while any segment is running, or
 *       is queued after another has started; {@code queued} when none has started; once no segment runs or waits:
 *       {@code failed} if one failed, else {@code cancelled} if one was cancelled, else {@code paused};</li>
 *   <li>the time left is the slowest running segment's; {@code resumedFromFrame} is the frames the latest runs of
 *       the segments did not have to scan again (0 for a scan that never stopped).</li>
 * </ul>
 * A checkpoint without a segment (a whole-film checkpoint, written before films were cut into segments) is the view
 * itself when the film has no segment checkpoint.
 */
public final class FilmScans {
    private FilmScans() {
    }

    /** The film's view, or empty when there is no checkpoint at all. */
    public static Optional<FilmProgress> combine(Collection<FilmProgress> checkpoints) {
        List<FilmProgress> segments = checkpoints.stream().filter(p -> p.segment() != null)
                .sorted(Comparator.comparingInt(p -> p.segment().index())).toList();
        if (segments.isEmpty()) {
            return checkpoints.stream().max(Comparator.comparing(FilmProgress::updatedAt));
        }
        FilmProgress first = segments.get(0);
        int count = first.segment().count();
        boolean allPresent = segments.size() == count;
        long covered = 0;
        long matched = 0;
        long identified = 0;
        long resumed = 0;
        long total = 0;
        int appearances = 0;
        double eta = 0;
        double filmSeconds = 0;
        Instant updated = first.updatedAt();
        List<String> messages = new ArrayList<>();
        boolean anyRunning = false;
        boolean anyQueued = !allPresent;
        boolean anyStarted = false;
        boolean allDone = allPresent;
        boolean anyFailed = false;
        boolean anyCancelled = false;
        for (FilmProgress p : segments) {
            FilmProgress.Segment s = p.segment();
            long end = p.status().equals(FilmProgress.DONE) ? (s.last() ? Math.max(p.nextFrame(), s.startFrame())
                    : s.endFrame()) : Math.min(Math.max(p.nextFrame(), s.startFrame()), s.last() ? Long.MAX_VALUE
                    : s.endFrame());
            covered += end - s.startFrame();
            matched += p.framesMatched();
            identified += p.framesIdentified();
            appearances += p.appearances();
            resumed += Math.max(0, p.resumedFromFrame() - s.startFrame());
            total = Math.max(total, p.framesTotal());
            filmSeconds = Math.max(filmSeconds, p.filmSeconds());
            if (p.updatedAt().isAfter(updated)) {
                updated = p.updatedAt();
            }
            if (p.message() != null && !p.message().isBlank()) {
                messages.add("segment " + (s.index() + 1) + ": " + p.message());
            }
            switch (p.status()) {
                case FilmProgress.RUNNING -> {
                    anyRunning = true;
                    anyStarted = true;
                    eta = Math.max(eta, p.etaSeconds());
                }
                case FilmProgress.QUEUED -> anyQueued = true;
                case FilmProgress.FAILED -> anyFailed = true;
                case FilmProgress.CANCELLED -> anyCancelled = true;
                default -> {
                }
            }
            if (!p.status().equals(FilmProgress.DONE)) {
                allDone = false;
            }
            if (!p.status().equals(FilmProgress.QUEUED) || p.nextFrame() > s.startFrame()) {
                anyStarted = true;
            }
        }
        String status;
        if (allDone) {
            status = FilmProgress.DONE;
            total = covered; // the film's real length in sampled frames, now that every segment has reached its end
        } else if (anyRunning || (anyQueued && anyStarted)) {
            status = FilmProgress.RUNNING;
        } else if (anyQueued) {
            status = FilmProgress.QUEUED;
        } else if (anyFailed) {
            status = FilmProgress.FAILED;
        } else if (anyCancelled) {
            status = FilmProgress.CANCELLED;
        } else {
            status = FilmProgress.PAUSED;
        }
        String workers = segments.stream().filter(p -> p.status().equals(FilmProgress.RUNNING))
                .map(FilmProgress::worker).filter(w -> w != null).distinct().collect(Collectors.joining(","));
        return Optional.of(new FilmProgress(first.schemaVersion(), first.filmId(), status, filmSeconds, first.fps(),
                Math.max(total, covered), covered, matched, identified, appearances, List.of(), resumed,
                status.equals(FilmProgress.RUNNING) ? eta : 0, messages.isEmpty() ? null : String.join("; ", messages),
                workers.isEmpty() ? null : workers, updated));
    }
}
