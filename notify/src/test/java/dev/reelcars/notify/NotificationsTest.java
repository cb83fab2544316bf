package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.candidate;
import static dev.reelcars.notify.Fixtures.identification;
import static dev.reelcars.notify.Fixtures.still;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.reelcars.testkit.EmbeddedBroker;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks to a real (tiny, in-test) HTTP server and the digest through a real SMTP server (GreenMail). */
class NotificationsTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;
    private HttpServer hooks;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final AtomicInteger deadCalls = new AtomicInteger();

    @BeforeEach
    void startHookServer() throws Exception {
        hooks = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        // Fails twice, then accepts: a receiver that was briefly down.
        hooks.createContext("/flaky", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int n = flakyCalls.incrementAndGet();
            if (n > 2) {
                received.add(new String(body, StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(n > 2 ? 204 : 500, -1);
            ex.close();
        });
        // Never accepts: delivery must stop after the configured attempts.
        hooks.createContext("/dead", ex -> {
            ex.getRequestBody().readAllBytes();
            deadCalls.incrementAndGet();
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        hooks.start();
    }

    @AfterEach
    void stopHookServer() {
        hooks.stop(0);
    }

    @Test
    void webhooksAreRetriedWithBackoffUntilDeliveredAndGiveUpAfterTheConfiguredAttempts() throws Exception {
        String base = "http://localhost:" + hooks.getAddress().getPort();
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of(
                "REELCARS_NOTIFY_WEBHOOKS", base + "/flaky," + base + "/dead",
                "REELCARS_NOTIFY_WEBHOOK_ATTEMPTS", "4",
                "REELCARS_NOTIFY_WEBHOOK_BACKOFF", "50ms")).start()) {
            // When a match arrives
            h.publish(h.topics.identifications(), identification(still("s-hook", "Bullitt"), Instant.now(),
                    candidate("r1", "Ford Mustang", 0.9)));
            // Then the flaky receiver gets it on the third attempt
            await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
            assertEquals(3, flakyCalls.get());
            var body = dev.reelcars.events.EventCodec.mapper().readTree(received.get(0));
            assertEquals("identification", body.get("type").asText());
            assertEquals("s-hook", body.get("stillId").asText());
            // And the dead receiver is tried exactly 4 times, then left alone
            await().atMost(Duration.ofSeconds(20)).until(() -> deadCalls.get() == 4);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> deadCalls.get() == 4);
        }
    }

    @Test
    void theDigestIsDeliveredThroughARealSmtpServer() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of(
                "REELCARS_NOTIFY_SMTP_HOST", "localhost",
                "REELCARS_NOTIFY_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()),
                "REELCARS_NOTIFY_MAIL_FROM", "reelcars@example.test",
                "REELCARS_NOTIFY_MAIL_TO", "reviewers@example.test")).start()) {
            // Given a match waiting for review
            h.publish(h.topics.identifications(), identification(still("s-mail", "Bullitt"), Instant.now(),
                    candidate("r1", "Ford Mustang", 0.9)));
            await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-mail").isPresent());
            // When a reviewer asks for the digest
            var res = h.post("/api/digest", h.signIn("alice", "alice-pw"), "{}");
            assertEquals(200, res.statusCode(), res.body());
            // Then the SMTP server received it
            assertTrue(smtp.waitForIncomingEmail(10_000, 1));
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertEquals("reelcars: 1 matches waiting for review", mail.getSubject());
            assertEquals("reviewers@example.test", mail.getAllRecipients()[0].toString());
            String text = GreenMailUtil.getBody(mail);
            assertTrue(text.contains("Bullitt") && text.contains("Ford Mustang"), text);
        }
    }

    @Test
    void theDigestNeedsAReviewer() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            assertEquals(401, h.post("/api/digest", null, "{}").statusCode());
            assertEquals(409, h.post("/api/digest", h.signIn("alice", "alice-pw"), "{}").statusCode(),
                    "no SMTP configured");
        }
    }
}
