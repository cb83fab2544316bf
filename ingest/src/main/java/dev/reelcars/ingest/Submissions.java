package dev.reelcars.ingest;

import dev.reelcars.events.Ids;
import dev.reelcars.events.ReferenceProposal;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.kafka.EventPublisher;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns a validated image into a submission: duplicate check, bytes to the blob store, event to Kafka (acknowledged),
 * then the index. Used by the HTTP uploads and by clip jobs alike. The perceptual hashes travel (hex, comma-separated)
 * in a record header ({@value #PHASH_HEADER}) so a restart rebuilds the index without decoding every blob again.
 */
final class Submissions {
    static final String PHASH_HEADER = "reelcars.phash";

    private final Topics topics;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final DuplicateIndex stills;
    private final DuplicateIndex references;
    private final Clock clock;
    /** Same bytes take the same stripe, so two concurrent uploads of one file cannot both be published. */
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    Submissions(Topics topics, BlobStore blobs, EventPublisher publisher, DuplicateIndex stills,
            DuplicateIndex references, Clock clock) {
        this.topics = topics;
        this.blobs = blobs;
        this.publisher = publisher;
        this.stills = stills;
        this.references = references;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    SubmitResult submitStill(ValidatedImage image, Metadata meta, String clipId) {
        String blobKey = BlobStore.keyOf(image.bytes());
        ReentrantLock lock = stripe(blobKey);
        lock.lock();
        try {
            var existing = stills.exact(blobKey);
            if (existing.isPresent()) {
                return SubmitResult.existing(existing.get());
            }
            String duplicateOf = stills.near(image.signature()).orElse(null);
            blobs.put(image.bytes());
            String stillId = Ids.newId("still");
            ImageHeader h = image.header();
            StillSubmitted event = new StillSubmitted(StillSubmitted.CURRENT_VERSION, stillId, blobKey,
                    h.type().mediaType(), h.displayWidth(), h.displayHeight(), meta.film(), meta.year(),
                    meta.timecode(), meta.note(), meta.contributor(), clipId, duplicateOf, clock.instant());
            publisher.publish(topics.stills(), event, headers(image));
            stills.record(stillId, blobKey, image.signature(), duplicateOf);
            return SubmitResult.created(stillId, duplicateOf, h, image.contentBox());
        } finally {
            lock.unlock();
        }
    }

    /** A contributor's reference view goes to review, not to the gallery: a {@link ReferenceProposal}. */
    SubmitResult proposeReference(ValidatedImage image, ReferenceMetadata meta, String proposedBy) {
        String blobKey = BlobStore.keyOf(image.bytes());
        ReentrantLock lock = stripe(blobKey);
        lock.lock();
        try {
            var existing = references.exact(blobKey);
            if (existing.isPresent()) {
                return SubmitResult.existing(existing.get());
            }
            blobs.put(image.bytes());
            String proposalId = Ids.newId("proposal");
            ImageHeader h = image.header();
            ReferenceProposal event = new ReferenceProposal(ReferenceProposal.CURRENT_VERSION, proposalId,
                    meta.label(), meta.make(), meta.model(), meta.year(), blobKey, h.type().mediaType(),
                    h.displayWidth(), h.displayHeight(), proposedBy, clock.instant(), meta.variant(), meta.yearFrom(),
                    meta.yearTo());
            publisher.publish(topics.referenceProposals(), event, headers(image));
            references.record(proposalId, blobKey, image.signature(), null);
            return SubmitResult.created(proposalId, null, h, image.contentBox());
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, String> headers(ValidatedImage image) {
        Map<String, String> headers = new HashMap<>();
        headers.put(PHASH_HEADER, image.signature().toHeader());
        if (image.contentBox() != null) {
            headers.put(ContentBox.HEADER, image.contentBox().toHeader());
        }
        return headers;
    }

    private ReentrantLock stripe(String blobKey) {
        return stripes[Math.floorMod(blobKey.hashCode(), stripes.length)];
    }
}
