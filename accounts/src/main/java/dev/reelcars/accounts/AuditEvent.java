package dev.reelcars.accounts;

import dev.reelcars.events.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the audit trail, kept forever on the audit topic: who did what to which thing, when and from where.
 *
 * @param action a stable verb such as {@code decision}, {@code reference.retire}, {@code account.create}
 * @param actor the account that acted ({@code setup} for changes made from configuration at start)
 * @param address the client address the request came from ({@code local} when there was no request)
 * @param target what was acted on (a still id, reference id or account name)
 * @param detail short facts about the change (never a password or token)
 */
public record AuditEvent(
        int schemaVersion,
        String auditId,
        String action,
        String actor,
        String address,
        String target,
        Map<String, String> detail,
        Instant at) implements Event {

    public static final int CURRENT_VERSION = 1;

    public AuditEvent {
        Objects.requireNonNull(auditId, "auditId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }

    @Override
    public String key() {
        return target == null ? actor : target;
    }
}
