package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole stack in one JVM on the embedded broker, driven through its real HTTP APIs. */
class LauncherEndToEndTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.withDefaults();
    static int galleryAtStart;

    @BeforeAll
    static void beforeAll() {
        galleryAtStart = STACK.launcher().identify().gallerySize();
    }

    @Test
    void loadsTheDemoGalleryOnFirstStart() {
        assertEquals(DemoGallery.entries().size(), galleryAtStart,
                "every demo reference view is in identify's gallery");
    }

    @Test
    void uploadedStillOfADemoCarIsProposedConfirmedAndRecordedInKafka() {
        PipelineScenario.uploadIdentifyConfirm(STACK.launcher());
    }

    @Test
    void deadLetteredStillCanBeListedAndReplayedOnceItsCauseIsFixed() throws Exception {
        Common common = STACK.launcher().common("test");
        BlobStore blobs = BlobStores.open(common.blobStore());
        // Given a still event whose image never reached the blob store
        byte[] image = StackClient.resource("no-vehicle.jpg").clone();
        image[image.length - 3] ^= 0x55;
        String key = BlobStore.keyOf(image);
        StillSubmitted still = new StillSubmitted(1, "still-dlt-" + UUID.randomUUID(), key, "image/jpeg", 512, 512,
                "Lost reel", null, null, null, null, null, null, Instant.now());
        try (var producer = KafkaClients.producer(common.kafka(), "test")) {
            producer.send(new ProducerRecord<>(common.topics().stills(), still.key(), EventCodec.encode(still))).get();
        }
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        DeadLetterTool tool = new DeadLetterTool(common, new PrintStream(listing, true, StandardCharsets.UTF_8));

        // When identify has dead-lettered it, the listing says why
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            listing.reset();
            tool.run(List.of("list", common.topics().stills()));
            return listing.toString(StandardCharsets.UTF_8).contains(still.stillId());
        });
        assertTrue(listing.toString(StandardCharsets.UTF_8).contains("reason=missing-blob"), listing.toString());

        // And once the blob is restored, a replay sends it through the pipeline, and a second replay sends nothing
        blobs.put(image);
        assertTrue(tool.replay(common.topics().stills()) >= 1, "the dead letter is sent back");
        StackClient client = new StackClient(STACK.launcher().ingest().port(), STACK.launcher().notifyService().port());
        client.signIn("demo", "demo");
        PipelineScenario.awaitSubmission(client, still.stillId(), PipelineScenario::identified);
        assertEquals(0, tool.replay(common.topics().stills()), "replay progress is remembered");
    }

    @Test
    void stillWithoutAGalleryCarEndsAsNoMatch() {
        PipelineScenario.stillWithoutKnownCarEndsAsNoMatch(STACK.launcher());
    }
}
