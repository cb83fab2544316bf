package dev.reelcars.platform.metrics;

import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.ApiException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.InternalRouter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * One service's metrics: a Prometheus registry tagged with the service's name, the JVM's and the process's meters
 * (heap and non-heap, GC, threads, CPU, open files, and the resident set size from {@code /proc/self/status}), the
 * request time of every HTTP route by method, route and status, and {@code GET /metrics} in the Prometheus text
 * format. Each service adds its own meters to {@link #registry()}.
 *
 * <p>Who may read {@code /metrics}: it tells request rates, queue sizes and memory, which is nobody's business
 * outside operations. Without {@code REELCARS_METRICS_TOKEN} only loopback clients get it (a request that a proxy
 * forwarded, i.e. one with a {@code Forwarded} or {@code X-Forwarded-For} header, is not taken for a loopback one);
 * with the token every client must send {@code Authorization: Bearer <token>}, loopback too, which is how a
 * Prometheus on another host or container scrapes.
 */
public final class Metrics implements AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Who may read {@code /metrics}: loopback clients only, or anyone with the bearer token. */
    public record Access(String token) {
        public Access {
            if (token != null && token.length() < 16) {
                throw new IllegalArgumentException("REELCARS_METRICS_TOKEN must have at least 16 characters");
            }
        }

        /** {@code REELCARS_METRICS_TOKEN} (default unset: loopback clients only). */
        public static Access from(Settings s) {
            return new Access(s.optional(dev.reelcars.platform.CommonKeys.METRICS_TOKEN).orElse(null));
        }

        public static Access loopbackOnly() {
            return new Access(null);
        }

        @Override
        public String toString() {
            return token == null ? "Access[loopback only]" : "Access[bearer token]";
        }
    }

    private final String service;
    private final Access access;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The app's routes (Javalin's own list, as its route overview reads it), to name a cut-short request's route. */
    private volatile InternalRouter router;
    private final List<java.util.function.Consumer<Context>> requestListeners = new CopyOnWriteArrayList<>();

    public Metrics(String service, Access access) {
        this.service = service;
        this.access = access;
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("process.resident.memory", Metrics::residentSetBytes)
                .description("resident set size of the process (VmRSS in /proc/self/status; NaN elsewhere)")
                .baseUnit("bytes").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The registry's current state in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Times every request of the app by method, route (the path template, never the raw path) and status. Call
     * inside {@code Javalin.create(config -> ...)}: Javalin's request logger sees every request once it is answered,
     * also one a before-handler answered and cut short ({@code skipRemainingHandlers} skips after-handlers too).
     */
    public void configure(JavalinConfig config) {
        router = config.pvt.internalRouter;
        config.requestLogger.http((ctx, millis) -> recordRequest(ctx, millis));
    }

    /** Serves {@code GET /metrics} to the clients {@link Access} allows. */
    public void install(Javalin app) {
        app.get("/metrics", this::serve);
    }

    /**
     * Calls the listener with every answered request (its status set, and {@link HttpErrors#ERROR_CODE} when it is
     * an error), so a service counts what its routes did without handlers of its own on them.
     */
    public void onRequest(java.util.function.Consumer<Context> listener) {
        requestListeners.add(listener);
    }

    private void recordRequest(Context ctx, float millis) {
        requestListeners.forEach(l -> l.accept(ctx));
        Timer.builder("http.server.requests")
                .description("HTTP requests by method, route and status")
                .tags("method", ctx.method().name(), "route", route(ctx), "status", String.valueOf(ctx.statusCode()))
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000.0)));
    }

    /** The matched route's template; "NOT_FOUND" and "OTHER" keep unmatched paths from making a meter each. */
    private String route(Context ctx) {
        String path;
        try {
            path = ctx.endpointHandlerPath();
        } catch (IllegalStateException e) {
            // Javalin has no endpoint path while the request is still in (or was cut short in) a before-handler.
            path = "";
        }
        if (path.startsWith("/") && !path.equals("/*")) {
            return path;
        }
        // A request answered in a before-handler (an upload refused from its headers): the route it was for.
        return router.findHttpHandlerEntries(ctx.method(), ctx.path()).findFirst()
                .map(e -> e.getEndpoint().getPath())
                .orElse(ctx.statusCode() == 404 ? "NOT_FOUND" : "OTHER");
    }

    private void serve(Context ctx) {
        if (access.token() != null) {
            String auth = ctx.header("Authorization");
            if (auth == null || !java.security.MessageDigest.isEqual(auth.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    ("Bearer " + access.token()).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                throw new ApiException(401, "unauthorized", "metrics need the bearer token REELCARS_METRICS_TOKEN");
            }
        } else if (!isLoopback(ctx)) {
            throw new ApiException(403, "forbidden",
                    "metrics are served to loopback clients only; set REELCARS_METRICS_TOKEN to scrape from elsewhere");
        }
        ctx.header("Cache-Control", "no-store").contentType(CONTENT_TYPE).result(registry.scrape());
    }

    private static boolean isLoopback(Context ctx) {
        if (ctx.header("Forwarded") != null || ctx.header("X-Forwarded-For") != null) {
            return false;
        }
        String address = ctx.req().getRemoteAddr();
        return address.equals("127.0.0.1") || address.startsWith("127.") || address.equals("0:0:0:0:0:0:0:1")
                || address.equals("::1") || address.equals("[::1]");
    }

    /** Counts one record sent to a dead-letter topic, by its source topic and the failure's stable reason. */
    public void deadLettered(String topic, String reason) {
        Counter.builder("reelcars.dead.letters")
                .description("records sent to a dead-letter topic, by source topic and reason")
                .tags("topic", topic, "reason", reason)
                .register(registry).increment();
    }

    /**
     * A gauge of how many records the consumer's group has still to read: the sum of the consumer's own per-partition
     * {@code records-lag} (what it fetched last against the partition's end), so it costs no broker call. Returns the
     * consumer, to wrap its creation.
     */
    public <C extends Consumer<?, ?>> C consumerLag(C consumer, String group) {
        Gauge.builder("kafka.consumer.lag", consumer, Metrics::lag)
                .description("records not yet consumed on the partitions this instance reads, by group")
                .baseUnit("records")
                .tag("group", group)
                .register(registry);
        return consumer;
    }

    static double lag(Consumer<?, ?> consumer) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag") && n.tags().containsKey("partition")
                    && e.getValue().metricValue() instanceof Double d && !d.isNaN()) {
                sum += d;
            }
        }
        return sum;
    }

    /** VmRSS from /proc/self/status in bytes, NaN where there is no such file. */
    static double residentSetBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0; // the kernel writes kB, meaning KiB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs
        }
        return Double.NaN;
    }

    @Override
    public String toString() {
        return "Metrics[" + service + ", " + access + "]";
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
