package dev.reelcars.catalogue;

import io.javalin.Javalin;

/** A {@code Server-Timing: app;dur=<ms>} header on every answer: the server's own time, for the bench. */
final class ServerTiming {
    private static final String START = "reelcars.start";

    private ServerTiming() {
    }

    static void install(Javalin app) {
        app.before(ctx -> ctx.attribute(START, System.nanoTime()));
        app.after(ctx -> {
            Long start = ctx.attribute(START);
            if (start != null) {
                ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.2f",
                        (System.nanoTime() - start) / 1e6));
            }
        });
    }
}
