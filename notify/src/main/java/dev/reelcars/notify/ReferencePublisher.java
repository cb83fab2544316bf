package dev.reelcars.notify;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.Consensus;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.kafka.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grows the gallery from reviews: every confirmed piece of evidence becomes a {@link ReferenceAdded} (source
 * {@code review}), the still cropped to the matched outline. The reference id is derived from the evidence and the
 * label, so publishing again after a restart rewrites the same key of the compacted topic: harmless. A reopened
 * confirmation takes its reference out of the gallery again (a tombstone), so identify matches nothing against a
 * view whose confirmation is in doubt.
 */
final class ReferencePublisher {
    private static final Logger log = LoggerFactory.getLogger(ReferencePublisher.class);

    private final ReviewQueue queue;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final String topic;
    private final Clock clock;
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    ReferencePublisher(ReviewQueue queue, BlobStore blobs, EventPublisher publisher, String topic, Clock clock) {
        this.queue = queue;
        this.blobs = blobs;
        this.publisher = publisher;
        this.topic = topic;
        this.clock = clock;
    }

    static String referenceIdFor(String groupId, String label) {
        String digest = BlobStore.keyOf((groupId + "\n" + Consensus.normalise(label)).getBytes(StandardCharsets.UTF_8));
        return "review-" + digest.substring(0, 32);
    }

    /**
     * Withdraws the review references of reopened confirmations (a tombstone each), then publishes every confirmed
     * match not yet in the gallery; returns how many it published.
     */
    synchronized int reconcile() {
        for (String id : queue.reopenedReviewReferences()) {
            try {
                publisher.publishTombstone(topic, id);
            } catch (EventPublisher.Unavailable e) {
                log.warn("cannot withdraw reference {} now, will retry on the next decision: {}", id, e.getMessage());
                return 0;
            }
            // Applied at once (the topic brings it back too), and forgotten as published: a new confirmation of
            // the same label publishes the same id again.
            queue.applyReference(id, null);
            published.remove(id);
            log.info("withdrew reference {}: its confirmation was reopened", id);
        }
        int count = 0;
        for (ReviewQueue.Confirmed c : queue.confirmed()) {
            String id = referenceIdFor(c.groupId(), c.label());
            if (queue.hasReference(id) || published.contains(id)) {
                continue;
            }
            try {
                publish(c, id);
                published.add(id);
                count++;
            } catch (EventPublisher.Unavailable e) {
                log.warn("cannot publish reference {} now, will retry on the next decision: {}", id, e.getMessage());
                return count;
            } catch (Exception e) {
                // The still's image is missing or unreadable: nothing to crop. Remember it so we do not loop.
                published.add(id);
                log.error("cannot build reference {} from still {}: {}", id,
                        c.identification().stillId(), e.toString());
            }
        }
        return count;
    }

    private void publish(ReviewQueue.Confirmed c, String id) throws Exception {
        var still = c.identification().still();
        // A confirmed near miss has an outline too: identify verified it, only below its acceptance threshold.
        List<Point> outline = Stream.concat(c.identification().candidates().stream(),
                        c.identification().nearMisses().stream())
                .filter(x -> c.referenceId() != null ? c.referenceId().equals(x.referenceId())
                        : Consensus.normalise(x.label()).equals(Consensus.normalise(c.label())))
                .findFirst().map(Candidate::outline).orElse(List.of());
        if (c.referenceId() == null) {
            // A vehicle the reviewers named themselves: no outline of theirs, keep the whole still.
            outline = List.of();
        }
        StillCropper.Crop crop = StillCropper.crop(blobs.read(still.blobKey()), outline);
        String key = blobs.put(crop.png());
        ReferenceAdded ref = new ReferenceAdded(ReferenceAdded.CURRENT_VERSION, id, c.label(), null, null,
                null, key, "image/png", crop.width(), crop.height(), "review", still.stillId(), clock.instant());
        publisher.publish(topic, ref);
        log.info("published reference {} ({}) from still {}", id, c.label(), still.stillId());
    }
}
