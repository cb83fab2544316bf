package dev.reelcars.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.testkit.Multipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The HTTP calls a user makes against a running stack: upload, read the queue, sign in, decide. */
final class StackClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ingest;
    private final String notify;
    private String token;
    private String uploaderToken;

    StackClient(int ingestPort, int notifyPort) {
        this.ingest = "http://localhost:" + ingestPort;
        this.notify = "http://localhost:" + notifyPort;
    }

    record Response(int status, JsonNode body, String retryAfter) {
    }

    static byte[] resource(String name) {
        try (InputStream in = StackClient.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response uploadStill(byte[] image, String filename, Map<String, String> fields) {
        Multipart body = new Multipart();
        fields.forEach(body::field);
        body.file("image", filename, "application/octet-stream", image);
        if (uploaderToken == null) {
            uploaderToken = signInFor(UPLOADER, UPLOADER_PASSWORD);
        }
        return send(HttpRequest.newBuilder(URI.create(ingest + "/api/stills"))
                .header("Content-Type", body.contentType())
                .header("Authorization", "Bearer " + uploaderToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());
    }

    /** Signs in the reviewer whose token the review calls use. */
    void signIn(String name, String password) {
        token = signInFor(name, password);
    }

    /**
     * Uploads are made by the demo mode's contributor account (a reviewer does not decide on their own still);
     * stacks without demo accounts configure it in {@code REELCARS_NOTIFY_CONTRIBUTORS}.
     */
    static final String UPLOADER = "contributor";
    static final String UPLOADER_PASSWORD = "demo";

    String signInFor(String name, String password) {
        Response r = send(HttpRequest.newBuilder(URI.create(notify + "/api/session"))
                .header("Content-Type", "application/json")
                .POST(json(Map.of("name", name, "password", password))).build());
        if (r.status() != 200) {
            throw new AssertionError("sign-in of " + name + " failed: " + r);
        }
        return r.body().get("token").asText();
    }

    Response submission(String stillId) {
        return send(authorized(HttpRequest.newBuilder(URI.create(notify + "/api/submissions/" + stillId))).GET()
                .build());
    }

    Response queue() {
        return send(authorized(HttpRequest.newBuilder(URI.create(notify + "/api/queue"))).GET().build());
    }

    Response review(String stillId, Map<String, String> decision) {
        return send(authorized(HttpRequest.newBuilder(URI.create(notify + "/api/reviews/" + stillId)))
                .header("Content-Type", "application/json").POST(json(decision)).build());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private Response send(HttpRequest request) {
        // Java's HttpClient waits forever for a response by default; a test must fail instead.
        HttpRequest bounded = request.timeout().isPresent() ? request
                : HttpRequest.newBuilder(request, (name, value) -> true).timeout(REQUEST_TIMEOUT).build();
        try {
            HttpResponse<byte[]> r = http.send(bounded, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = r.body().length == 0 ? null : EventCodec.mapper().readTree(r.body());
            return new Response(r.statusCode(), body, r.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.BodyPublisher json(Object o) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(EventCodec.mapper().writeValueAsBytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
