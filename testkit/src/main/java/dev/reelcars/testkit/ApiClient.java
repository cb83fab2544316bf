package dev.reelcars.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A test's client of one service's JSON API: every request with a 20 s deadline and an optional bearer token, so a
 * hung server fails the test instead of hanging the build.
 */
public final class ApiClient {
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<String> base;

    /** {@code base} gives the service's address, e.g. {@code http://127.0.0.1:PORT}, once it has started. */
    public ApiClient(Supplier<String> base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POSTs a JSON body. */
    public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return http.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An answer's body as a JSON tree. */
    public static JsonNode json(HttpResponse<String> res) throws IOException {
        return JSON.readTree(res.body());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.get() + path)).timeout(REQUEST_DEADLINE);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
