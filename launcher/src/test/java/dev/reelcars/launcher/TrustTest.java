package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.Settings;
import dev.reelcars.testkit.Multipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 (trust) through the whole stack on its HTTP endpoints, as an attacker on the same host would try it: the
 * gallery changes only through review, accounts work across services and restarts, the demo stays on loopback,
 * sign-in back-off is per name and address, and cookie writes need the page's origin.
 */
class TrustTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.with(Map.of("REELCARS_NOTIFY_RETRO_MATCH_DELAY", "200ms"));
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String notify;
    static String ingest;

    @BeforeAll
    static void beforeAll() {
        notify = "http://localhost:" + STACK.launcher().notifyService().port();
        ingest = "http://localhost:" + STACK.launcher().ingest().port();
    }

    record Reply(int status, JsonNode body) {
    }

    static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().isEmpty() ? null : EventCodec.mapper().readTree(r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply postJson(String url, String token, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.mapper().writeValueAsBytes(body)));
            return send(token == null ? b : b.header("Authorization", "Bearer " + token));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Reply get(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
    }

    static String signIn(String name, String password) {
        Reply r = postJson(notify + "/api/session", null, Map.of("name", name, "password", password));
        assertEquals(200, r.status(), "sign-in of " + name + ": " + r.body());
        return r.body().get("token").asText();
    }

    /** A multipart upload to ingest with a bearer token. */
    static Reply upload(String path, String token, byte[] image, Map<String, String> fields) {
        Multipart body = new Multipart();
        fields.forEach(body::field);
        body.file("image", "x.jpg", "image/jpeg", image);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ingest + path))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    @Test
    void aContributorsReferenceIsInvisibleToMatchingUntilReviewersAcceptIt() {
        // Given a contributor who proposes a reference view labelled "anything", and a still of the same picture
        String contributor = signIn("contributor", "demo");
        String reviewer = signIn("demo", "demo");
        byte[] picture = StackClient.resource("no-vehicle.jpg");
        int galleryBefore = STACK.launcher().identify().gallerySize();
        Reply anonymous = upload("/api/references", null, picture, Map.of("label", "anything"));
        Reply proposal = upload("/api/references", contributor, picture, Map.of("label", "anything"));
        Reply still = upload("/api/stills", contributor, picture, Map.of("film", "Trust test"));
        assertEquals(401, anonymous.status(), "an anonymous reference: " + anonymous.body());
        assertEquals(202, proposal.status(), "proposal: " + proposal.body());
        assertEquals(202, still.status(), "still: " + still.body());
        String proposalId = proposal.body().get("id").asText();
        String stillId = still.body().get("id").asText();

        // When identify has matched the still
        JsonNode[] story = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Reply r = get(notify + "/api/submissions/" + stillId, reviewer);
            story[0] = r.body();
            return r.status() == 200 && !r.body().path("identifications").isEmpty();
        });

        // Then the proposal was not in the gallery: nothing was proposed for the still
        assertEquals(galleryBefore, STACK.launcher().identify().gallerySize(), "the gallery did not grow");
        assertFalse(story[0].toString().contains("\"anything\""), "no candidate labelled anything: " + story[0]);

        // When a reviewer accepts the proposal (consensus 1 in this stack)
        Reply open = get(notify + "/api/proposals", reviewer);
        assertTrue(open.body().toString().contains(proposalId), "the reviewer sees it: " + open.body());
        Reply ownVote = postJson(notify + "/api/proposals/" + proposalId + "/review", contributor,
                Map.of("verdict", "confirm"));
        assertEquals(403, ownVote.status(), "a contributor cannot accept: " + ownVote.body());
        Reply vote = postJson(notify + "/api/proposals/" + proposalId + "/review", reviewer,
                Map.of("verdict", "confirm"));
        assertEquals(201, vote.status(), "vote: " + vote.body());

        // Then it joins the gallery, the unidentified still is matched again and now proposed as "anything"
        await().atMost(Duration.ofSeconds(30))
                .until(() -> STACK.launcher().identify().gallerySize() == galleryBefore + 1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                get(notify + "/api/submissions/" + stillId, reviewer).body().toString().contains("\"anything\""));
        Reply audit = get(notify + "/api/audit?action=proposal", reviewer);
        assertTrue(audit.body().toString().contains(proposalId), "the vote is audited: " + audit.body());
    }

    @Test
    void anAdminsNewAccountWorksOnIngestAndSurvivesANotifyRestart() throws Exception {
        // Given the admin creates a contributor account
        String admin = signIn("demo", "demo");
        Reply created = postJson(notify + "/api/accounts", admin, Map.of("name", "zoe",
                "password", "zoe-long-password", "roles", List.of("contributor")));
        assertEquals(201, created.status(), "created: " + created.body());
        Reply weak = postJson(notify + "/api/accounts", admin, Map.of("name", "weak", "password", "short",
                "roles", List.of("contributor")));
        assertEquals(400, weak.status(), "a weak password is refused: " + weak.body());

        // When zoe signs in on notify and uploads to ingest with that one token
        String zoe = signIn("zoe", "zoe-long-password");
        byte[] still = StackClient.resource("demo-still.jpg");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                upload("/api/stills", zoe, still, Map.of("film", "Zoe's film")).status() / 100 == 2);

        // Then after a restart of notify her session still works, and the admin reads the account's creation
        STACK.launcher().restartNotify();
        notify = "http://localhost:" + STACK.launcher().notifyService().port();
        Reply me = get(notify + "/api/session", zoe);
        assertEquals(200, me.status(), "still signed in: " + me.body());
        assertEquals("zoe", me.body().get("name").asText());
        Reply audit = get(notify + "/api/audit?action=account&target=zoe", admin);
        assertEquals(200, audit.status(), audit.body().toString());
        assertEquals("account.create", audit.body().get(0).get("action").asText(), audit.body().toString());
        assertEquals("demo", audit.body().get(0).get("actor").asText());
        assertEquals(403, get(notify + "/api/audit", zoe).status(), "only admins read the audit trail");
    }

    @Test
    void aReviewerWhoUploadsCannotConfirmTheirOwnStill() {
        // Given demo, who holds the contributor and reviewer roles, uploads a still of the demo gallery's truck
        String demo = signIn("demo", "demo");
        Reply upload = upload("/api/stills", demo, StackClient.resource("demo-still.jpg"),
                Map.of("film", "Own still", "note", "uploaded by a reviewer"));
        assertTrue(upload.status() / 100 == 2, "upload: " + upload.body());
        String stillId = upload.body().get("id").asText();

        // When it is identified and demo tries to confirm it (the demo stack needs one confirmation)
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !get(notify + "/api/submissions/" + stillId, demo).body().path("identifications").isEmpty());
        Reply own = postJson(notify + "/api/reviews/" + stillId, demo, Map.of("verdict", "confirm"));

        // Then the account recorded as its contributor may not decide on it
        assertEquals(403, own.status(), "own submission: " + own.body());
        assertEquals("own-submission", own.body().get("error").asText());
        assertEquals("demo", get(notify + "/api/submissions/" + stillId, demo).body().path("received")
                .path("contributor").asText(), "the account is the contributor");
    }

    @Test
    void aLockOutFromOneAddressLeavesTheOwnerFreeAtAnother() throws Exception {
        int port = STACK.launcher().notifyService().port();
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        InetAddress owner = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, rawSignIn(attacker, port, "contributor", "guess-" + i));
        }
        assertEquals(429, rawSignIn(attacker, port, "contributor", "demo"), "this address waits");
        assertEquals(200, rawSignIn(owner, port, "contributor", "demo"), "the owner, elsewhere, does not");
    }

    /** A sign-in over a socket bound to {@code from}, so the server sees that client address. */
    private static int rawSignIn(InetAddress from, int port, String name, String password) throws IOException {
        byte[] body = ("{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void cookieWritesNeedThePagesOriginAndJsonEndpointsRefuseOtherTypes() {
        String token = signIn("demo", "demo");
        HttpRequest.Builder forged = HttpRequest.newBuilder(URI.create(notify + "/api/reviews/still-x"))
                .header("Cookie", "reelcars_session=" + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"confirm\"}"));
        assertEquals(403, send(forged.copy().header("Origin", "http://localhost:1")).status(), "another origin");
        assertEquals(403, send(forged.copy()).status(), "no origin at all");
        Reply fromPage = send(forged.copy().header("Origin", notify));
        assertEquals(404, fromPage.status(), "the page's origin passes (and there is no such still): "
                + fromPage.body());
        Reply plain = send(HttpRequest.newBuilder(URI.create(notify + "/api/reviews/still-x"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"confirm\"}")));
        assertEquals(415, plain.status(), "text/plain JSON: " + plain.body());
    }

    @Test
    void anOperatorImportsASeedGalleryInBulkAndItIsAudited() throws Exception {
        // Given a folder laid out as for match --gallery, with one file that is not an image
        Path dir = java.nio.file.Files.createTempDirectory("seed-gallery");
        java.nio.file.Files.createDirectories(dir.resolve("Blue pickup (seed)"));
        java.nio.file.Files.write(dir.resolve("Blue pickup (seed)").resolve("front.jpg"),
                StackClient.resource("demo-still.jpg"));
        java.nio.file.Files.writeString(dir.resolve("Blue pickup (seed)").resolve("notes.jpg"), "not an image");
        int before = STACK.launcher().identify().gallerySize();
        var common = STACK.launcher().common("test-import");

        // When the operator imports it
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = GalleryImport.main(common, dev.reelcars.platform.blob.BlobStores.open(common.blobStore()),
                List.of("import", dir.toString(), "--as", "demo"), new java.io.PrintStream(printed, true,
                        StandardCharsets.UTF_8));

        // Then the image joins the gallery, the unreadable file is reported, and the import is audited
        assertEquals(1, exit, printed.toString(StandardCharsets.UTF_8));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("skipped"), printed.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> STACK.launcher().identify().gallerySize() == before + 1);
        String admin = signIn("demo", "demo");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get(notify + "/api/audit?action=reference.import", admin).body().size() == 1);
    }

    @Test
    void aReviewerRetiresAReferenceWithAReasonAndItLeavesTheGallery() {
        // Given the demo gallery's fire truck view (no other test matches it), a reviewer and a contributor
        String reviewer = signIn("demo", "demo");
        String contributor = signIn("contributor", "demo");
        String ref = notify + "/api/references/demo-fire-truck";
        int before = STACK.launcher().identify().gallerySize();

        // When a contributor tries, and a reviewer retires it first without, then with a reason
        Reply byContributor = postJson(ref + "/retire", contributor, Map.of("reason", "wrong"));
        Reply noReason = postJson(ref + "/retire", reviewer, Map.of("reason", " "));
        Reply retired = postJson(ref + "/retire", reviewer, Map.of("reason", "a duplicate of another view"));

        // Then only the reviewer with a reason succeeds: a tombstone takes it out of identify's gallery, audited
        assertEquals(403, byContributor.status(), "contributor: " + byContributor.body());
        assertEquals(400, noReason.status(), "no reason: " + noReason.body());
        assertEquals(204, retired.status(), "retired");
        await().atMost(Duration.ofSeconds(30)).until(() -> STACK.launcher().identify().gallerySize() == before - 1);
        Reply audit = get(notify + "/api/audit?action=reference.retire&target=demo-fire-truck", reviewer);
        assertEquals(1, audit.body().size(), audit.body().toString());
        assertEquals("a duplicate of another view", audit.body().get(0).path("detail").path("reason").asText());
        assertEquals(404, postJson(ref + "/retire", reviewer, Map.of("reason", "again")).status(), "gone");
    }

    @Test
    void theStackListensOnLoopbackOnly() throws Exception {
        var launcher = STACK.launcher();
        List<Integer> ports = List.of(launcher.notifyService().port(), launcher.ingest().port(),
                launcher.identify().port(),
                Integer.parseInt(launcher.broker().bootstrapServers().replaceAll(".*:", "")));
        for (int port : ports) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            }
        }
        List<InetAddress> outside = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && a instanceof Inet4Address) {
                    outside.add(a);
                }
            }
        }
        for (InetAddress address : outside) {
            for (int port : ports) {
                assertThrows(IOException.class, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(address, port), 2_000);
                    }
                }, "port " + port + " must not answer on " + address);
            }
        }
        System.out.println("loopback-only checked on " + outside + " for ports " + ports);
        var e = assertThrows(IllegalArgumentException.class, () -> LauncherConfig.from(new Settings(Map.of(
                "REELCARS_BIND_ADDRESS", "0.0.0.0", "REELCARS_LAUNCHER_DEMO_ACCOUNTS", "true"))));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertFalse(LauncherConfig.from(new Settings(Map.of("REELCARS_BIND_ADDRESS", "0.0.0.0"))).demoAccounts(),
                "beyond loopback there is no demo by default");
        assertTrue(LauncherConfig.from(new Settings(Map.of())).demoAccounts(), "the one-command demo on loopback");
    }

    @Test
    void theLauncherHandsEachServiceARecordAndNeverRewritesTheEnvironment() {
        // Given a stack whose environment names no cluster, no page origin and port 0 for notify (TestStack)
        Launcher launcher = STACK.launcher();
        Launcher.Configs started = launcher.startedWith();
        String broker = launcher.broker().bootstrapServers();
        // Then every service was started from a record carrying the embedded broker's address
        assertEquals(broker, started.identifyConfig().common().kafka().bootstrapServers());
        assertEquals(broker, started.notifyConfig().common().kafka().bootstrapServers());
        assertEquals(broker, started.catalogueConfig().common().kafka().bootstrapServers());
        assertEquals(broker, started.ingestConfig().common().kafka().bootstrapServers());
        // And notify's free port, chosen before it started, is the page's origin for notify, ingest and the catalogue
        int port = launcher.notifyService().port();
        assertEquals(port, started.notifyConfig().port(), "notify listens on the port its record names");
        assertTrue(started.notifyConfig().accountsConfig().publicOrigins().contains("http://localhost:" + port),
                started.notifyConfig().accountsConfig().toString());
        assertEquals(started.notifyConfig().accountsConfig(), started.ingestConfig().accounts());
        assertEquals(started.notifyConfig().accountsConfig(), started.catalogueConfig().accounts());
        // And demo mode reached notify as a record, not as an environment variable it reads
        assertTrue(started.notifyConfig().demoAccounts());
        assertEquals(started.notifyConfig().consensus(), started.catalogueConfig().consensus());
        // And settings cannot be rewritten: nothing on Settings returns changed settings
        for (java.lang.reflect.Method m : Settings.class.getMethods()) {
            if (m.getReturnType() == Settings.class) {
                assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers())
                        && m.getName().equals("fromEnvironment"), "Settings." + m.getName() + " makes new settings");
            }
        }
    }
}
