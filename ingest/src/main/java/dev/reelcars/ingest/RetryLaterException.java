package dev.reelcars.ingest;

import dev.reelcars.contracts.ApiException;

/** An API error the client may retry after {@code retryAfterSeconds} (sent as {@code Retry-After}). */
final class RetryLaterException extends ApiException {
    private final int retryAfterSeconds;

    RetryLaterException(int status, String code, String message, int retryAfterSeconds) {
        super(status, code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
