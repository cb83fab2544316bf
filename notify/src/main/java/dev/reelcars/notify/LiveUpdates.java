package dev.reelcars.notify;

import dev.reelcars.events.EventCodec;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open reviewer pages, told over Server-Sent Events whenever the queue changes. */
final class LiveUpdates {
    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

    void add(SseClient client) {
        clients.add(client);
        client.onClose(() -> clients.remove(client));
        client.keepAlive();
        client.sendEvent("hello", "{}");
    }

    int size() {
        return clients.size();
    }

    /** Sends {@code event} with a small JSON body to every open page; a page that went away is dropped. */
    void broadcast(String event, Map<String, ?> data) {
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(data);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode live update", e);
        }
        for (SseClient c : clients) {
            try {
                c.sendEvent(event, json);
                if (c.terminated()) {
                    clients.remove(c);
                }
            } catch (RuntimeException e) {
                log.debug("dropping a page that went away: {}", e.toString());
                clients.remove(c);
            }
        }
    }

    void closeAll() {
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // The page is gone already.
            }
        }
        clients.clear();
    }
}
