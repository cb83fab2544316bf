package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker goes away for some seconds while stills are being uploaded: every upload is either accepted or told
 * to retry later (503 with Retry-After), never silently dropped, and the pipeline drains once the broker is back.
 */
class BrokerOutageTest {
    @RegisterExtension
    // A short bounded wait, so an upload during the outage is answered quickly.
    static final TestStack STACK = TestStack.with(Map.of("REELCARS_INGEST_PUBLISH_TIMEOUT", "2000ms"));

    @Test
    void uploadsDuringAnOutageAreAcceptedOrRefusedWithRetryAfterAndAllAreIdentifiedAfterwards() throws Exception {
        StackClient client = new StackClient(STACK.launcher().ingest().port(), STACK.launcher().notifyService().port());
        client.signIn("demo", "demo");
        List<byte[]> stills = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stills.add(PipelineLatencyFixtures.distinctCopy(StackClient.resource("demo-still.jpg"), "outage " + i));
        }

        // Given the broker is stopped
        STACK.launcher().broker().stop();

        // When stills are uploaded during the outage
        List<byte[]> refused = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (byte[] still : stills) {
            StackClient.Response r = client.uploadStill(still, "still.jpg", Map.of("film", "Outage"));
            if (r.status() == 202) {
                accepted.add(r.body().get("id").asText());
            } else {
                assertEquals(503, r.status(), "an upload the broker cannot take is refused as retryable: " + r);
                assertEquals("kafka-unavailable", r.body().get("error").asText());
                assertTrue(r.retryAfter() != null && Integer.parseInt(r.retryAfter()) > 0,
                        "the refusal says when to retry");
                refused.add(still);
            }
        }
        assertEquals(stills.size(), accepted.size() + refused.size(), "every upload got an answer");
        assertFalse(refused.isEmpty(), "with the broker down, an upload is refused; accepted: " + accepted);

        // And the broker comes back, and the refused uploads are retried as a client would
        STACK.launcher().broker().restart();
        for (byte[] still : refused) {
            StackClient.Response r = client.uploadStill(still, "still.jpg", Map.of("film", "Outage"));
            assertTrue(r.status() == 202 || r.status() == 200, "accepted after the outage: " + r);
            accepted.add(r.body().get("id").asText());
        }

        // Then every accepted still is identified and proposed, none lost
        for (String id : accepted) {
            var story = PipelineScenario.awaitSubmission(client, id, s -> !PipelineScenario.candidates(s).isEmpty());
            assertEquals("Blue pickup truck", PipelineScenario.candidates(story).get(0).get("label").asText());
        }
        assertEquals(stills.size(), accepted.stream().distinct().count(), "each still has its own submission");
    }

    /** Byte-distinct copies of a JPEG (a comment segment after SOI), so exact-duplicate detection keeps them apart. */
    static final class PipelineLatencyFixtures {
        static byte[] distinctCopy(byte[] jpeg, String comment) {
            byte[] text = comment.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[jpeg.length + 4 + text.length];
            out[0] = (byte) 0xFF;
            out[1] = (byte) 0xD8;
            out[2] = (byte) 0xFF;
            out[3] = (byte) 0xFE;
            out[4] = (byte) ((text.length + 2) >> 8);
            out[5] = (byte) ((text.length + 2) & 0xFF);
            System.arraycopy(text, 0, out, 6, text.length);
            System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
            return out;
        }
    }
}
