package dev.reelcars.ingest;

import dev.reelcars.platform.http.HttpErrors;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * Counts the uploads ingest received by kind ({@code still}, {@code reference}, {@code clip}) and outcome: {@code
 * accepted} (202), {@code duplicate} (200: already known, nothing published) or {@code refused} with the error's
 * stable code as the reason ({@code rate-limited}, {@code image-too-small}, {@code unauthorized}, ...), whether the
 * upload gate refused it from its headers or a handler after reading it. As {@code reelcars_uploads_total}.
 */
final class UploadMetrics {
    private static final Map<String, String> KINDS = Map.of(
            "/api/stills", "still", "/api/references", "reference", "/api/clips", "clip");

    private final MeterRegistry registry;

    private UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static void install(Metrics metrics) {
        metrics.onRequest(new UploadMetrics(metrics.registry())::count);
    }

    void count(Context ctx) {
        String kind = KINDS.get(ctx.path());
        if (kind == null || !"POST".equals(ctx.method().name()) || ctx.statusCode() == 0) {
            return;
        }
        int status = ctx.statusCode();
        String outcome;
        String reason;
        if (status == 202 || status == 200) {
            outcome = status == 202 ? "accepted" : "duplicate";
            reason = "";
        } else {
            outcome = "refused";
            reason = ctx.attribute(HttpErrors.ERROR_CODE) instanceof String code ? code : "status-" + status;
        }
        Counter.builder("reelcars.uploads")
                .description("uploads received, by kind, outcome and the reason of a refusal")
                .tags("kind", kind, "outcome", outcome, "reason", reason)
                .register(registry).increment();
    }
}
