package dev.reelcars.contracts;

/** An HTTP error with a stable machine code, rendered as {@code {"error": code, "message": message}}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
