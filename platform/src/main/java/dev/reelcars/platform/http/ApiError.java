package dev.reelcars.platform.http;

/** The JSON body of every HTTP error reelcars returns. */
public record ApiError(String error, String message) {
}
