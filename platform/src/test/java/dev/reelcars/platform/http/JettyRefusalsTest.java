package dev.reelcars.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jetty refuses some requests before Javalin sees them; those answers are JSON errors too. Raw sockets, since an
 * HTTP client will not send such requests. */
class JettyRefusalsTest {
    static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(HttpErrors::configure);
        HttpErrors.install(app);
        app.get("/", ctx -> ctx.result("ok"));
        app.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    /** Sends the bytes, reads the whole answer (Jetty closes the connection after a bad message). */
    static String exchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException e) {
                // Jetty may answer and close before it has read all of an oversized request.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    answer.write(buf, 0, n);
                }
            } catch (SocketException e) {
                // a reset after the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static void assertJsonError(String answer, int status, String code) throws Exception {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
        JsonNode body = EventCodec.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals(code, body.path("error").asText(), answer);
        assertTrue(body.path("message").isTextual() && !body.path("message").asText().isEmpty(), answer);
    }

    @Test
    void answersABadRequestLineWith400Json() throws Exception {
        assertJsonError(exchange("NOT AN HTTP REQUEST LINE AT ALL\r\n\r\n"), 400, "bad-request");
    }

    @Test
    void answersAUriLongerThanTheHeaderBufferWith414Json() throws Exception {
        assertJsonError(exchange("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "uri-too-long");
    }

    @Test
    void answersHeadersBeyondTheBufferWith431Json() throws Exception {
        assertJsonError(exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431,
                "headers-too-large");
    }

    @Test
    void stillServesAGoodRequest() throws Exception {
        String answer = exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    }
}
