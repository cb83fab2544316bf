package dev.reelcars.identify.service;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.PoisonRecordException;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.identify.matcher.Detection;
import dev.reelcars.identify.matcher.ImageDecodeException;
import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.identify.matcher.MatchKind;
import dev.reelcars.identify.matcher.MatchResult;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.kafka.TransactionalLoop;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Matches one submitted still and returns its {@link Identification} record; the transactional loop commits it
 * together with the still's offset, so each still gets exactly one committed result.
 */
final class StillMatcher implements TransactionalLoop.Transformer {
    private final MatchEngine engine;
    private final BlobStore blobs;
    private final ReferenceDirectory directory;
    private final String resultsTopic;
    private final String instanceId;
    private final Clock clock;
    private final MatchMetrics metrics;

    StillMatcher(MatchEngine engine, BlobStore blobs, ReferenceDirectory directory, String resultsTopic,
            String instanceId, Clock clock, MatchMetrics metrics) {
        this.engine = engine;
        this.blobs = blobs;
        this.directory = directory;
        this.resultsTopic = resultsTopic;
        this.instanceId = instanceId;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public List<ProducerRecord<String, byte[]>> apply(ConsumerRecord<String, byte[]> record) {
        StillSubmitted still = EventCodec.decode(record.value(), StillSubmitted.class);
        Identification result = identify(still);
        return List.of(new ProducerRecord<>(resultsTopic, result.key(), EventCodec.encode(result)));
    }

    Identification identify(StillSubmitted still) {
        byte[] image = Blobs.readOrPoison(blobs, still.blobKey());
        MatchResult result;
        try {
            result = engine.match(image);
        } catch (ImageDecodeException e) {
            throw new PoisonRecordException("undecodable-image", "still " + still.stillId() + ": " + e.getMessage(), e);
        }
        metrics.record(result);
        List<Candidate> candidates = result.candidates().stream()
                .map(this::toContract)
                .toList();
        List<Candidate> nearMisses = result.nearMisses().stream()
                .map(this::toContract)
                .toList();
        return new Identification(Identification.CURRENT_VERSION, still.stillId(), still, candidates, nearMisses,
                engine.size(), result.elapsedMicros(), instanceId, clock.instant(), engine.acceptThresholds());
    }

    /** The event a detection becomes: the same points, plus where the reference's bytes are and the words. */
    private Candidate toContract(Detection c) {
        String referenceBlob = directory.get(c.referenceId()).map(r -> r.blobKey()).orElse(null);
        return new Candidate(c.referenceId(), c.label(), referenceBlob, c.confidence(),
                c.inliers(),
                c.outline(),
                c.inlierPairs(),
                c.byPlate() ? Candidate.PLATE : Candidate.FEATURES,
                answer(c.answer()));
    }

    /** The event's spelling of an answer kind; a near miss claims nothing (null: the field is left out). */
    private static String answer(MatchKind kind) {
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case VEHICLE -> Candidate.VEHICLE;
            case MODEL -> Candidate.MODEL;
            case NONE -> throw new IllegalArgumentException("a candidate never answers none");
        };
    }
}
