package dev.reelcars.platform.kafka;

/**
 * Thrown by a record handler when the record is good but something outside it is not, and will pass (a full disk, for
 * one): the consumer loop retries the same record, with backoff and without limit, instead of dead-lettering a good
 * record after a few attempts.
 */
public class RetryLaterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetryLaterException(String message, Throwable cause) {
        super(message, cause);
    }
}
