package dev.reelcars.identify.service;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Stills before film frames. A film scan can keep every core busy for an hour; a contributor's single still must
 * still be identified within seconds. Stills and film frames have their own topics (so a still never queues behind a
 * film's frames), and here they share the CPU: the stills loop marks each still it matches, and a film worker waits
 * before its next frame while any still is being matched. A film frame takes tens of milliseconds, so a still waits
 * at most for the frames already being matched.
 */
final class StillsFirst {
    private final AtomicInteger stillsMatching = new AtomicInteger();

    void stillStarted() {
        stillsMatching.incrementAndGet();
    }

    void stillDone() {
        stillsMatching.decrementAndGet();
    }

    /** A film worker's turn: returns when no still is being matched (cancelled when the worker is interrupted). */
    void awaitTurn() {
        while (stillsMatching.get() > 0) {
            LockSupport.parkNanos(1_000_000);
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("film worker stopped");
            }
        }
    }
}
