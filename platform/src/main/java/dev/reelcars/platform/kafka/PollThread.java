package dev.reelcars.platform.kafka;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of one consumer loop ({@link TransactionalLoop}, {@link TopicReplay}): started once, stopped by waking
 * its consumer out of {@code poll}, and waited for at most 30 s so that a stuck handler cannot hang a service's stop.
 * The loop's body checks {@link #closing()} between polls and closes its own clients before it returns.
 */
final class PollThread {
    private static final Logger log = LoggerFactory.getLogger(PollThread.class);

    private final String name;
    private final Consumer<?, ?> consumer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private Thread thread;

    PollThread(String name, Consumer<?, ?> consumer) {
        this.name = name;
        this.consumer = consumer;
    }

    synchronized void start(Runnable body) {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        thread = new Thread(() -> {
            try {
                body.run();
            } finally {
                stopped.countDown();
            }
        }, name);
        thread.start();
    }

    boolean closing() {
        return closing;
    }

    void close() {
        closing = true;
        consumer.wakeup();
        try {
            boolean started;
            synchronized (this) {
                started = thread != null;
            }
            if (started && !stopped.await(30, TimeUnit.SECONDS)) {
                log.warn("{} did not stop within 30 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
