package dev.reelcars.identify.service;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.PoisonRecordException;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.identify.matcher.ImageDecodeException;
import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.kafka.RecordHandler;
import dev.reelcars.platform.kafka.RetryLaterException;
import java.io.UncheckedIOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the references topic to the engine: a view is added (or replaced) for each {@link ReferenceAdded} and
 * removed for each tombstone. The topic is compacted, so replaying it from the start rebuilds the gallery.
 */
final class GalleryLoader implements RecordHandler {
    private static final Logger log = LoggerFactory.getLogger(GalleryLoader.class);

    private final MatchEngine engine;
    private final BlobStore blobs;
    private final ReferenceDirectory directory;

    GalleryLoader(MatchEngine engine, BlobStore blobs, ReferenceDirectory directory) {
        this.engine = engine;
        this.blobs = blobs;
        this.directory = directory;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null && engine.removeReference(record.key())) {
                directory.remove(record.key());
                log.info("removed reference {}", record.key());
            }
            return;
        }
        ReferenceAdded ref = EventCodec.decode(record.value(), ReferenceAdded.class);
        byte[] image = Blobs.readOrPoison(blobs, ref.blobKey());
        try {
            engine.addReference(ref.referenceId(), ref.label(), image);
        } catch (ImageDecodeException e) {
            throw new PoisonRecordException("undecodable-image", "reference " + ref.referenceId() + ": "
                    + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // The descriptor file's file system is full: the reference is good, so the replay waits on it (and the
            // gallery is not caught up) until there is room, rather than dead-lettering it and every one after it.
            throw new RetryLaterException("reference " + ref.referenceId() + ": " + e.getMessage(), e);
        }
        directory.put(ref);
    }
}
