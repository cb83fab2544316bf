package dev.reelcars.platform.http;

/**
 * An HTTP error with a stable machine code, rendered as {@code {"error": code, "message": message}}. A retryable one
 * (503 while a dependency is down, 429 when a limit is hit) carries the seconds after which to try again, sent as
 * {@code Retry-After}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public ApiException(int status, String code, String message, int retryAfterSeconds) {
        super(message);
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds the client should wait before retrying, or 0 when retrying will not help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
