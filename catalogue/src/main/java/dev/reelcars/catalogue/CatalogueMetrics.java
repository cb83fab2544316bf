package dev.reelcars.catalogue;

import dev.reelcars.platform.http.HttpErrors;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The catalogue's own meters, on top of what {@link Metrics} gives every service. Read at each scrape from the state
 * the catalogue already holds: {@code reelcars_catalogue_appearances} (appearances shown),
 * {@code reelcars_catalogue_entries{type="vehicle"|"film"}} (what a reader can find: the search index's documents),
 * {@code reelcars_catalogue_rebuild_seconds} (how long the last start took to read the topics and build the index:
 * it grows with the topics, and a restart is down that long). Counted from the answers:
 * {@code reelcars_catalogue_edits_total{action="edit"|"undo", outcome, reason}}, where the outcome is
 * {@code visible} (201), {@code recorded} (202: published, not yet read back) or {@code refused} with the error's
 * stable code as the reason ({@code forbidden}, {@code bad-field}, {@code kafka-unavailable}, ...).
 */
final class CatalogueMetrics {
    private static final String EDITS = "/api/catalogue/edits";

    private final MeterRegistry registry;

    private CatalogueMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param rebuildMillis the last start's rebuild time, 0 until it is done */
    static void install(Metrics metrics, Catalogue catalogue, SearchIndex index, LongSupplier rebuildMillis) {
        MeterRegistry registry = metrics.registry();
        Gauge.builder("reelcars.catalogue.appearances", catalogue, Catalogue::appearanceCount)
                .description("appearances the catalogue shows (confirmed stills, a shot's frames as one)")
                .register(registry);
        for (String type : new String[] {"vehicle", "film"}) {
            Gauge.builder("reelcars.catalogue.entries", index, i -> i.count(type))
                    .description("vehicles and films a reader can find (documents of the search index), by type")
                    .tag("type", type)
                    .register(registry);
        }
        TimeGauge.builder("reelcars.catalogue.rebuild", rebuildMillis, TimeUnit.MILLISECONDS, LongSupplier::getAsLong)
                .description("how long the last start took to read the topics and build the search index")
                .register(registry);
        metrics.onRequest(new CatalogueMetrics(registry)::count);
    }

    private void count(Context ctx) {
        String path = ctx.path();
        String action = path.equals(EDITS) ? "edit"
                : path.startsWith(EDITS + "/") && path.endsWith("/undo") ? "undo" : null;
        if (action == null || !"POST".equals(ctx.method().name()) || ctx.statusCode() == 0) {
            return;
        }
        int status = ctx.statusCode();
        String outcome = status == 201 ? "visible" : status == 202 ? "recorded" : "refused";
        String reason = !outcome.equals("refused") ? ""
                : ctx.attribute(HttpErrors.ERROR_CODE) instanceof String code ? code : "status-" + status;
        Counter.builder("reelcars.catalogue.edits")
                .description("reviewers' edits and undos received, by outcome and the reason of a refusal")
                .tags("action", action, "outcome", outcome, "reason", reason)
                .register(registry).increment();
    }
}
