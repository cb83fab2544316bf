package dev.reelcars.accounts;

import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.kafka.RecordHandler;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every account, as the accounts topic says now: each service instance replays the topic at start and follows it,
 * so an account created or a token revoked on one instance is known on all within moments. It is also a
 * {@link RecordHandler} for that replay.
 */
public final class AccountDirectory implements RecordHandler {
    private final Map<String, Account> byName = new ConcurrentHashMap<>();

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            byName.remove(record.key());
        } else {
            apply(EventCodec.decode(record.value(), Account.class));
        }
    }

    /** Applies a snapshot (also right after publishing it, so the writer reads its own write). */
    public void apply(Account account) {
        byName.merge(account.name(), account, (old, fresh) ->
                fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
    }

    public Optional<Account> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public List<Account> all() {
        return byName.values().stream().sorted(Comparator.comparing(Account::name)).toList();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
