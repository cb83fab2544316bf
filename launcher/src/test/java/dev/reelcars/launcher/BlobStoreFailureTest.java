package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.Common;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the blob store cannot take a write, the upload fails clearly and nothing is published half-stored. */
class BlobStoreFailureTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.withDefaults();

    @Test
    void uploadIsRefusedWith503AndPublishesNothingWhileTheBlobStoreCannotWrite() throws Exception {
        Common common = STACK.launcher().common("test");
        StackClient client = new StackClient(STACK.launcher().ingest().port(), STACK.launcher().notifyService().port());
        int stillsBefore = PipelineScenario.readAll(common, common.topics().stills()).size();

        // Given the blob store's staging directory is unusable (root ignores permission bits, so it becomes a file)
        Path staging = common.blobDir().resolve("tmp");
        Path moved = common.blobDir().resolve("tmp.moved");
        Files.move(staging, moved);
        Files.writeString(staging, "not a directory");
        try {
            // When a still is uploaded
            byte[] still = BrokerOutageTest.PipelineLatencyFixtures.distinctCopy(
                    StackClient.resource("demo-still.jpg"), "blob store failure");
            StackClient.Response r = client.uploadStill(still, "still.jpg", Map.of("film", "Broken disk"));

            // Then it is refused as a retryable storage failure, and no event was published
            assertEquals(503, r.status(), "storage failure is reported: " + r);
            assertEquals("storage-unavailable", r.body().get("error").asText());
            assertTrue(r.retryAfter() != null, "the client is told when to retry");
            assertEquals(stillsBefore, PipelineScenario.readAll(common, common.topics().stills()).size(),
                    "nothing was published for a still that was not stored");
        } finally {
            Files.delete(staging);
            Files.move(moved, staging);
        }

        // And once the store works again, the same upload is accepted
        byte[] still = BrokerOutageTest.PipelineLatencyFixtures.distinctCopy(
                StackClient.resource("demo-still.jpg"), "blob store failure");
        assertEquals(202, client.uploadStill(still, "still.jpg", Map.of("film", "Broken disk")).status());
    }
}
