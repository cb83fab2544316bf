package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.Common;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A slow-loris upload (a body trickling in a few bytes at a time) is cut off instead of holding the server. */
class SlowUploadTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.withDefaults();

    @Test
    void cutsOffAnUploadWhoseBodyTricklesInAndPublishesNothing() throws Exception {
        Common common = STACK.launcher().common("test");
        int stillsBefore = PipelineScenario.readAll(common, common.topics().stills()).size();
        long start = System.nanoTime();
        String outcome;
        try (Socket socket = new Socket("localhost", STACK.launcher().ingest().port())) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            OutputStream out = socket.getOutputStream();
            String boundary = "slowloris";
            // Given a client that announces a 1 MB multipart upload
            out.write(("POST /api/stills HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary="
                    + boundary + "\r\nContent-Length: 1000000\r\n\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // When it sends the body a few bytes every 200 ms (20 B/s)
            outcome = "still open";
            try {
                for (int i = 0; i < 150; i++) {
                    out.write(new byte[] {(byte) 0xFF, (byte) 0xD8, 0x00, 0x00});
                    out.flush();
                    if (socket.getInputStream().available() > 0) {
                        break;
                    }
                    Thread.sleep(200);
                }
                InputStream in = socket.getInputStream();
                byte[] head = in.readNBytes(12);
                outcome = new String(head, StandardCharsets.US_ASCII);
            } catch (SocketException e) {
                outcome = "closed: " + e.getMessage();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // Then the server answers with an error or drops the connection well before the body could complete
        assertTrue(outcome.startsWith("HTTP/1.1 4") || outcome.startsWith("HTTP/1.1 5") || outcome.startsWith("closed")
                || outcome.isEmpty(), "slow upload cut off, got: " + outcome);
        assertTrue(seconds < 30, "cut off within 30 s, took " + seconds);
        assertEquals(stillsBefore, PipelineScenario.readAll(common, common.topics().stills()).size(),
                "nothing was published");
    }
}
