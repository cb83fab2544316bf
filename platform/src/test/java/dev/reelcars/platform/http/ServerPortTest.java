package dev.reelcars.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.javalin.util.JavalinException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A port asked for from another thread while a service starts (NotifyRestartUnderLoadTest's reviewers while the
 * launcher restarts notify). The race is replayed step by step ({@link Race}: a reader thread is held inside Javalin's
 * making of a Jetty server until the starting thread has made and configured its own, then let go, and only then does
 * the start go on to start "its" server), and left to chance over many starts.
 */
class ServerPortTest {
    private static final long STEP_SECONDS = 10;
    private static final int CYCLES = 300;
    private final Race race = new Race();

    @AfterEach
    void stopThePool() throws Exception {
        race.pool.stop();
    }

    @Test
    void refusesThePortUntilTheAppListens() {
        ServerPort port = new ServerPort("catalogue");
        Javalin app = Javalin.create(HttpErrors::configure);
        var e = assertThrows(IllegalStateException.class, port::get);
        assertEquals("catalogue is not listening yet", e.getMessage());
        port.listen(app, "127.0.0.1", 0);
        try {
            assertTrue(port.get() > 0, "a free port was chosen: " + port.get());
            assertEquals(app.port(), port.get());
        } finally {
            app.stop();
        }
    }

    @Test
    void aPortAskedForWhileTheAppStartsLeavesTheStartAlone() throws Exception {
        // Given a reader asking a service's ServerPort for its port while the service starts its app
        ServerPort port = new ServerPort("notify");
        Javalin app = race.app();
        app.get("/", ctx -> ctx.result("ok"));
        race.readDuringStart(port::get);

        // When the start goes on
        port.listen(app, "127.0.0.1", 0);
        try {
            // Then the reader was told "not yet", the start succeeded, and the app serves on the port it reports
            assertInstanceOf(IllegalStateException.class, race.readerSaw.get(), "the reader's answer");
            assertTrue(race.reached.get(), "the start reached the point where the bare server would have been made");
            var res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.get() + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertEquals("ok", res.body());
        } finally {
            app.stop();
        }
    }

    /**
     * What every service did before ServerPort: Javalin's own {@code app.port()} in the same race. The start fails
     * as NotifyRestartUnderLoadTest did. If a Javalin upgrade makes this test fail (the start succeeds), Javalin has
     * stopped making a second server, and ServerPort's reason should be re-read.
     */
    @Test
    void javalinsOwnPortAskedForWhileTheAppStartsBreaksTheStart() throws Exception {
        Javalin app = race.app();
        race.readDuringStart(app::port);

        JavalinException e = assertThrows(JavalinException.class, () -> app.start("127.0.0.1", 0));

        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertEquals("StatisticsHandler has no Wrapped Handler", cause.getMessage());
        assertTrue(race.reached.get(), "the reader was held inside Javalin's making of a server");
        app.stop();
    }

    /**
     * The same reader left to chance: in each of {@link #CYCLES} starts a thread asks for the port over and over from
     * a random moment within 5 ms of the start's beginning (before or after), as a reviewer's page polls while notify
     * restarts. Every start succeeds, and every reader ends with the port the app listens on.
     */
    @Test
    void everyStartSucceedsWhileAReaderAsksAtRandomMoments() throws Exception {
        Random random = new Random(7);
        int failed = 0;
        for (int i = 0; i < CYCLES; i++) {
            ServerPort port = new ServerPort("cycle " + i);
            Javalin app = Javalin.create(HttpErrors::configure);
            long startAt = System.nanoTime() + 5_000_000;
            long readFrom = startAt + random.nextInt(-5_000_000, 5_000_000);
            AtomicInteger seen = new AtomicInteger();
            Thread reader = new Thread(() -> {
                spinUntil(readFrom);
                long deadline = System.nanoTime() + Duration.ofSeconds(STEP_SECONDS).toNanos();
                while (seen.get() <= 0 && System.nanoTime() < deadline) {
                    try {
                        seen.set(port.get());
                    } catch (RuntimeException e) {
                        // not listening yet: ask again
                    }
                }
            }, "port-reader-" + i);
            reader.start();
            spinUntil(startAt);
            try {
                port.listen(app, "127.0.0.1", 0);
            } catch (RuntimeException e) {
                failed++;
            } finally {
                reader.join(Duration.ofSeconds(STEP_SECONDS).toMillis());
                app.stop();
            }
            if (failed == 0) {
                assertEquals(port.get(), seen.get(), "cycle " + i + ": the reader's port");
            }
        }
        assertEquals(0, failed, "starts that failed of " + CYCLES);
    }

    private static void spinUntil(long nanoTime) {
        while (System.nanoTime() < nanoTime) {
            Thread.onSpinWait();
        }
    }

    /**
     * The steps: (1) the reader reads the port; if that makes a Jetty server, the reader is held in it (in the
     * thread pool's {@code isRunning()}, which Jetty's {@code Server} constructor calls) before Javalin stores it;
     * (2) the starting thread makes and stores its own server, and while Javalin applies the app's server settings
     * (a {@code modifyServer} step, after the store) it lets the reader go and waits for its answer; (3) the start
     * goes on and fetches the server to start, which is the reader's if the reader stored one over it.
     */
    private static final class Race {
        final CountDownLatch readerHeldOrDone = new CountDownLatch(1);
        final CountDownLatch startConfigured = new CountDownLatch(1);
        final CountDownLatch readerDone = new CountDownLatch(1);
        final AtomicReference<Throwable> readerSaw = new AtomicReference<>();
        final AtomicBoolean reached = new AtomicBoolean();
        volatile Thread reader;
        final QueuedThreadPool pool = new QueuedThreadPool(32, 2) {
            private final AtomicBoolean held = new AtomicBoolean();

            @Override
            public boolean isRunning() {
                if (Thread.currentThread() == reader && held.compareAndSet(false, true)) {
                    readerHeldOrDone.countDown();
                    await(startConfigured);
                }
                return super.isRunning();
            }
        };

        /** An app configured as the services configure theirs, plus the race's pool and step (2). */
        Javalin app() {
            return Javalin.create(c -> {
                HttpErrors.configure(c);
                c.jetty.threadPool = pool;
                c.jetty.modifyServer(server -> {
                    reached.set(true);
                    startConfigured.countDown();
                    await(readerDone);
                });
            });
        }

        /** Starts the reader and returns once it is held or has its answer: the caller then starts the app. */
        void readDuringStart(IntSupplier read) throws InterruptedException {
            reader = new Thread(() -> {
                try {
                    read.getAsInt();
                } catch (RuntimeException e) {
                    // Javalin's port() of a server with no connector yet throws too: the answer is not the point
                    readerSaw.set(e);
                } finally {
                    readerDone.countDown();
                    readerHeldOrDone.countDown();
                }
            }, "port-reader");
            reader.start();
            assertTrue(readerHeldOrDone.await(STEP_SECONDS, TimeUnit.SECONDS), "the reader neither held nor done");
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(STEP_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("a step of the race did not come within " + STEP_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
