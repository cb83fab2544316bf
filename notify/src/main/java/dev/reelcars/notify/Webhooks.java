package dev.reelcars.notify;

import dev.reelcars.events.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells operator-configured URLs about review events: a JSON POST per event and URL, retried with exponential
 * back-off (first delay doubled each time, at most 60 s) up to a bounded number of attempts. At most
 * {@link #MAX_PENDING} deliveries wait at once; beyond that new ones are dropped and counted, so a dead endpoint
 * cannot exhaust memory.
 */
final class Webhooks implements AutoCloseable {
    static final int MAX_PENDING = 1000;
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final List<URI> urls;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    Webhooks(List<URI> urls, int attempts, Duration backoff) {
        this.urls = List.copyOf(urls);
        this.attempts = attempts;
        this.backoff = backoff;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "notify-webhooks");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
    }

    long deliveredCount() {
        return delivered.get();
    }

    long failedCount() {
        return failed.get();
    }

    /** Queues {@code {"type": type, ...data}} for every configured URL. */
    void send(String type, Map<String, ?> data) {
        if (urls.isEmpty()) {
            return;
        }
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", type);
        body.putAll(data);
        byte[] json;
        try {
            json = EventCodec.mapper().writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode webhook body", e);
        }
        for (URI url : urls) {
            if (pending.incrementAndGet() > MAX_PENDING) {
                pending.decrementAndGet();
                failed.incrementAndGet();
                log.warn("webhook backlog full ({}): dropping {} to {}", MAX_PENDING, type, url);
                continue;
            }
            scheduler.execute(() -> attempt(url, json, 1));
        }
    }

    private void attempt(URI url, byte[] json, int n) {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err == null && resp.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
                pending.decrementAndGet();
                return;
            }
            String why = err != null ? err.toString() : "HTTP " + resp.statusCode();
            if (n >= attempts || scheduler.isShutdown()) {
                failed.incrementAndGet();
                pending.decrementAndGet();
                log.warn("webhook {} failed after {} attempts: {}", url, n, why);
                return;
            }
            long delay = Math.min(MAX_BACKOFF.toMillis(), backoff.toMillis() << Math.min(n - 1, 20));
            log.info("webhook {} attempt {} failed ({}), retrying in {} ms", url, n, why, delay);
            try {
                scheduler.schedule(() -> attempt(url, json, n + 1), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                pending.decrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
