package dev.reelcars.platform.http;

import io.javalin.Javalin;

/**
 * A service's HTTP port, safe to ask for from any thread at any time: the port its app listens on once
 * {@link #listen} has returned (the real one when configured with 0, and still that one after a stop), an
 * {@link IllegalStateException} before.
 *
 * <p>Why not Javalin's own {@code app.port()}: Javalin 6.7 makes its Jetty server on the first call of
 * {@code JettyServer.server()}, lazily and without a lock, and {@code app.port()} is such a call. Asked from another
 * thread while {@code app.start()} is making and configuring its server, it makes a second, bare server (a default
 * one, with an empty {@code StatisticsHandler}) and stores it over the first; {@code start()} then starts the bare
 * one and fails with "StatisticsHandler has no Wrapped Handler". That is how NotifyRestartUnderLoadTest failed: its
 * reviewers read notify's port while the launcher restarted notify. The same message, from a start racing another
 * thread, is javalin/javalin#2337. So every service starts its app here and answers its port from here, and no
 * thread but the starting one touches an app before it listens ({@code ServerPortTest} replays the race step by
 * step).
 */
public final class ServerPort {
    private final String service;
    /** 0 until the app listens. */
    private volatile int port;

    public ServerPort(String service) {
        this.service = service;
    }

    /** Starts {@code app} on {@code host}:{@code port} (0: a free port), then makes its port readable. */
    public void listen(Javalin app, String host, int port) {
        app.start(host, port);
        this.port = app.port();
    }

    /** The port the app listens on; throws while it does not yet. */
    public int get() {
        int p = port;
        if (p <= 0) {
            throw new IllegalStateException(service + " is not listening yet");
        }
        return p;
    }

    @Override
    public String toString() {
        return "ServerPort[" + service + ", " + (port > 0 ? port : "not listening") + "]";
    }
}
