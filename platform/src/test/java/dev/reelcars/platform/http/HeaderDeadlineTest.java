package dev.reelcars.platform.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 16: a client that sends its request headers one byte at a time is cut off, not kept forever. */
class HeaderDeadlineTest {
    @Test
    void aClientTricklingItsHeadersIsCutOffAfterTheDeadlineWhileOthersAreServed() throws Exception {
        // Given an app configured as every service is
        Javalin app = Javalin.create(HttpErrors::configure);
        HttpErrors.install(app);
        app.get("/ok", ctx -> ctx.result("ok"));
        app.start("127.0.0.1", 0);
        try (Socket slow = new Socket("127.0.0.1", app.port())) {
            // When one client sends a header byte every 400 ms
            OutputStream out = slow.getOutputStream();
            out.write("GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            boolean cut = false;
            long deadline = t0 + (HeaderDeadline.LIMIT.toMillis() + 8_000) * 1_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    cut = true;
                    break;
                }
                if (closedByServer(slow)) {
                    cut = true;
                    break;
                }
                // Meanwhile a normal request on another connection is answered at once.
                if (System.nanoTime() - t0 < 2_000_000_000L) {
                    assertTrue(get(app.port()).startsWith("HTTP/1.1 200"), "a normal client is served");
                }
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

            // Then the server closed it after about the deadline, not at once and not never
            assertTrue(cut, "the trickling client was never cut off");
            assertTrue(seconds >= HeaderDeadline.LIMIT.toSeconds() - 1, "cut off too early: " + seconds + " s");
        } finally {
            app.stop();
        }
    }

    /** Waits up to 400 ms for the server to close the connection. */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(400);
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String get(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(15), StandardCharsets.US_ASCII);
        }
    }
}
