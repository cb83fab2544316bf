package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stack's security promises, checked through its HTTP endpoints. */
class SecurityTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.with(Map.of("REELCARS_NOTIFY_REVIEWERS", "rita:rita-secret-pw", "REELCARS_NOTIFY_CONTRIBUTORS", "carl:carl-secret-pw", "REELCARS_LAUNCHER_DEMO_ACCOUNTS", "false"));
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static String notify;

    @BeforeAll
    static void beforeAll() {
        notify = "http://localhost:" + STACK.launcher().notifyService().port();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        // Java's HttpClient waits forever for a response by default; a test must fail instead.
        return HTTP.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String signIn(String name, String password) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(notify + "/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"password\":\"" + password
                        + "\"}")));
        assertEquals(200, r.statusCode(), r.body());
        return dev.reelcars.events.EventCodec.mapper().readTree(r.body()).get("token").asText();
    }

    @Test
    void reviewerEndpointsRefuseAnonymousAndContributorCallers() throws Exception {
        String contributor = signIn("carl", "carl-secret-pw");
        for (String path : new String[] {"/api/queue", "/api/submissions/still-x", "/api/events"}) {
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(notify + path))
                    .header("Accept", "text/event-stream").GET());
            assertEquals(401, anonymous.statusCode(), "anonymous " + path);
            assertTrue(anonymous.body().contains("\"error\""), "JSON error for " + path);
            HttpResponse<String> asContributor = send(HttpRequest.newBuilder(URI.create(notify + path))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + contributor).GET());
            assertEquals(403, asContributor.statusCode(), "contributor " + path);
        }
        HttpResponse<String> review = send(HttpRequest.newBuilder(URI.create(notify + "/api/reviews/still-x"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + contributor)
                .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"confirm\"}")));
        assertEquals(403, review.statusCode(), "a contributor cannot decide");
        HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(notify + "/api/queue"))
                .header("Authorization", "Bearer not-a-real-token").GET());
        assertEquals(401, forged.statusCode(), "an unknown token is nobody");
    }

    @Test
    void neitherPasswordsNorTokensAppearInTheLogs() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String token;
        try {
            token = signIn("rita", "rita-secret-pw");
            send(HttpRequest.newBuilder(URI.create(notify + "/api/session")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"rita\",\"password\":\"wrong-guess-pw\"}")));
            send(HttpRequest.newBuilder(URI.create(notify + "/api/queue")).header("Authorization", "Bearer " + token)
                    .GET());
            send(HttpRequest.newBuilder(URI.create(notify + "/api/reviews/still-missing"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"confirm\"}")));
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertFalse(logs.contains(token), "the session token is never logged");
        assertFalse(logs.contains("rita-secret-pw"), "passwords are never logged");
        assertFalse(logs.contains("wrong-guess-pw"), "failed passwords are never logged");
    }

    @Test
    void servedImagesCarryTheirTypeAndNosniffAndThePageACsp() throws Exception {
        String token = signIn("rita", "rita-secret-pw");
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(notify + "/")).GET());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "CSP without inline scripts: " + csp);

        // A demo reference's image, served by its key
        String key = dev.reelcars.platform.blob.BlobStore.keyOf(StackClient.resource("demo-gallery/blue-pickup-truck.jpg"));
        HttpResponse<byte[]> image = HTTP.send(HttpRequest.newBuilder(URI.create(notify + "/api/images/" + key))
                .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode());
        assertEquals("image/jpeg", image.headers().firstValue("Content-Type").orElse(""));
        assertEquals("nosniff", image.headers().firstValue("X-Content-Type-Options").orElse(""));

        // No name reaches a file outside the blob store
        for (String evil : new String[] {"..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..", "a".repeat(64) + "%00"}) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(notify + "/api/images/" + evil)).GET());
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, evil + " → " + r.statusCode());
            assertFalse(r.body().contains("root:"), "no file content for " + evil);
        }
    }

    @Test
    void oversizedJsonBodiesAreRefused() throws Exception {
        String token = signIn("rita", "rita-secret-pw");
        String huge = "{\"verdict\":\"confirm\",\"label\":\"" + "x".repeat(2_000_000) + "\"}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(notify + "/api/reviews/still-x"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(huge)));
        assertEquals(413, r.statusCode(), "a 2 MB JSON body is refused: " + r.body());
    }
}
