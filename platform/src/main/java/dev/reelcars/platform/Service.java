package dev.reelcars.platform;

/**
 * The one lifecycle every reelcars service has, so the launcher, the tests and each {@code main} start and stop
 * services the same way. {@code stop} is idempotent and releases everything {@code start} took.
 */
public interface Service extends AutoCloseable {
    String name();

    void start() throws Exception;

    void stop();

    @Override
    default void close() {
        stop();
    }
}
