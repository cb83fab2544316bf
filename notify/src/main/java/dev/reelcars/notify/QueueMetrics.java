package dev.reelcars.notify;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * notify's own meters, read at each scrape from the state it already holds: the review queue's stills by status
 * ({@code reelcars_review_queue_stills{status="pending"}}, ...) and the reference proposals still waiting for votes.
 */
final class QueueMetrics {
    private QueueMetrics() {
    }

    static void register(MeterRegistry registry, ReviewQueue queue, ReferenceProposals proposals) {
        for (ReviewQueue.Status status : ReviewQueue.Status.values()) {
            Gauge.builder("reelcars.review.queue.stills", queue,
                            q -> q.tasks().stream().filter(t -> t.status() == status).count())
                    .description("stills in the review queue, by status")
                    .tag("status", status.name().toLowerCase())
                    .register(registry);
        }
        // Nobody's own proposals left out: "" is no reviewer's name.
        Gauge.builder("reelcars.review.proposals.open", proposals, p -> p.open("").size())
                .description("reference proposals waiting for reviewers' votes (pending or disputed)")
                .register(registry);
    }
}
