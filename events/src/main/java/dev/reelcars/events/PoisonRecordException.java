package dev.reelcars.events;

/**
 * A record that can never be processed, however often it is retried (bad JSON, unknown schema version, a blob that
 * does not exist, an image that cannot be decoded). Consumers send it to the dead-letter topic and go on.
 */
public class PoisonRecordException extends RuntimeException {
    private final String reason;

    public PoisonRecordException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PoisonRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A stable, machine-readable code for the dead-letter header. */
    public String reason() {
        return reason;
    }
}
