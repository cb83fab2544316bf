package dev.reelcars.accounts;

import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.kafka.RecordHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Writes the audit trail to its topic and keeps the trail read back from it, for {@code GET /api/audit}. The topic
 * is kept forever; this in-memory copy is rebuilt at every start.
 */
public final class AuditLog implements RecordHandler {
    private final EventSink sink;
    private final String topic;
    private final Clock clock;
    private final Map<String, AuditEvent> byId = new ConcurrentHashMap<>();

    public AuditLog(EventSink sink, String topic, Clock clock) {
        this.sink = sink;
        this.topic = topic;
        this.clock = clock;
    }

    /** Records an action; returns once the broker has it. Null detail values are left out. */
    public AuditEvent record(String action, String actor, String address, String target, Map<String, ?> detail) {
        Map<String, String> clean = new LinkedHashMap<>();
        detail.forEach((k, v) -> {
            if (v != null) {
                clean.put(k, String.valueOf(v));
            }
        });
        AuditEvent event = new AuditEvent(AuditEvent.CURRENT_VERSION, "audit-" + UUID.randomUUID(), action, actor,
                address == null ? "local" : address, target, clean, clock.instant());
        sink.publish(topic, event);
        byId.put(event.auditId(), event);
        return event;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null) {
            AuditEvent e = EventCodec.decode(record.value(), AuditEvent.class);
            byId.put(e.auditId(), e);
        }
    }

    /** Newest first, filtered (a null filter matches all), at most {@code limit}. */
    public List<AuditEvent> find(String actor, String action, String target, Instant since, int limit) {
        List<AuditEvent> out = new ArrayList<>();
        byId.values().stream()
                .filter(e -> actor == null || actor.equals(e.actor()))
                .filter(e -> action == null || e.action().equals(action) || e.action().startsWith(action + "."))
                .filter(e -> target == null || target.equals(e.target()))
                .filter(e -> since == null || !e.at().isBefore(since))
                .sorted(Comparator.comparing(AuditEvent::at).reversed())
                .limit(limit)
                .forEach(out::add);
        return out;
    }
}
