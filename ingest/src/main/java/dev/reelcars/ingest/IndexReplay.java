package dev.reelcars.ingest;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReferenceProposal;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.image.OpenCvNatives;
import dev.reelcars.platform.kafka.RecordHandler;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the stills and references topics to the duplicate indexes (fed by a {@code TopicReplay}). The perceptual
 * hash comes from the record header ingest wrote; for events other producers wrote (demo gallery, reviews) it is
 * computed from the blob when the blob is here. A record that cannot be read is logged and skipped, never
 * dead-lettered: ingest only reads these topics for itself, and their consumers dead-letter bad records already.
 */
final class IndexReplay implements RecordHandler {
    private static final Logger log = LoggerFactory.getLogger(IndexReplay.class);

    private final Topics topics;
    private final BlobStore blobs;
    private final DuplicateIndex stills;
    private final DuplicateIndex references;

    IndexReplay(Topics topics, BlobStore blobs, DuplicateIndex stills, DuplicateIndex references) {
        this.topics = topics;
        this.blobs = blobs;
        this.stills = stills;
        this.references = references;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            if (record.topic().equals(topics.stills())) {
                StillSubmitted s = EventCodec.decode(record.value(), StillSubmitted.class);
                stills.record(s.stillId(), s.blobKey(), phash(record, s.blobKey()), s.duplicateOf());
            } else if (record.topic().equals(topics.references())) {
                ReferenceAdded r = EventCodec.decode(record.value(), ReferenceAdded.class);
                references.record(r.referenceId(), r.blobKey(), phash(record, r.blobKey()), null);
            } else if (record.topic().equals(topics.referenceProposals())) {
                ReferenceProposal r = EventCodec.decode(record.value(), ReferenceProposal.class);
                references.record(r.proposalId(), r.blobKey(), phash(record, r.blobKey()), null);
            }
        } catch (RuntimeException e) {
            log.warn("duplicate index skips {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private ImageSignature phash(ConsumerRecord<String, byte[]> record, String blobKey) {
        var header = record.headers().lastHeader(Submissions.PHASH_HEADER);
        if (header != null) {
            try {
                return ImageSignature.fromHeader(new String(header.value(), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                log.warn("bad {} header on {}-{}@{}", Submissions.PHASH_HEADER, record.topic(), record.partition(),
                        record.offset());
            }
        }
        if (!blobs.exists(blobKey)) {
            return null;
        }
        OpenCvNatives.load();
        MatOfByte buffer = new MatOfByte(blobs.read(blobKey));
        Mat gray = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_GRAYSCALE);
        try {
            return gray.empty() ? null : ImageSignature.of(gray);
        } finally {
            gray.release();
            buffer.release();
        }
    }
}
