package dev.reelcars.platform;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service's start() has opened, closed in reverse order by its stop(): the one lifecycle every service
 * follows. The last opened closes first, so a consumer loop opened after the producer it writes with is closed
 * before it; a start that fails half-way closes what it had opened, so nothing outlives a failed start.
 */
public final class OpenedResources {
    private static final Logger log = LoggerFactory.getLogger(OpenedResources.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** The work of a start() that opens resources and registers each with {@link #push}. */
    @FunctionalInterface
    public interface Start {
        void run() throws Exception;
    }

    /** Registers a resource to close; push each one as soon as it is open. */
    public synchronized void push(AutoCloseable resource) {
        opened.push(resource);
    }

    /** Runs {@code start}; when it throws, closes everything opened so far and rethrows. */
    public void startOrClose(Start start) throws Exception {
        try {
            start.run();
        } catch (Exception | Error e) {
            closeAll();
            throw e;
        }
    }

    /**
     * Closes everything in reverse order of opening, each even when an earlier one failed to close.
     *
     * @return whether anything was open
     */
    public synchronized boolean closeAll() {
        boolean any = !opened.isEmpty();
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c.getClass().getSimpleName(), e);
            }
        }
        return any;
    }
}
