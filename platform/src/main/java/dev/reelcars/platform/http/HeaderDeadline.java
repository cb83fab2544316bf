package dev.reelcars.platform.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Cuts off a client that takes longer than {@link #LIMIT} to send a request's line and headers. Jetty's idle timeout
 * restarts at every byte, so one byte a second holds a connection (a thread's worth of buffers) forever; its minimum
 * data rate applies to bodies only. Every second, each open connection whose parser has been inside a request's
 * headers since the last deadline started is closed. Connections waiting between requests or running a handler are
 * not affected (the idle timeout covers the first, the handler's own limits the second).
 */
final class HeaderDeadline implements Connection.Listener {
    /** Room for a slow mobile client's headers; a legitimate client sends them in one or two packets. */
    static final Duration LIMIT = Duration.ofSeconds(10);
    private static final long CHECK_MILLIS = 1000;

    private final long limitNanos;

    HeaderDeadline(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    /** Adds the deadline to every connector of {@code server} as it starts. */
    static void install(Server server, Duration limit) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
                        c.addBean(new HeaderDeadline(limit));
                    }
                }
            }
        });
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            Scheduler scheduler = http.getConnector().getScheduler();
            scheduler.schedule(new Check(http, scheduler), CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        // The check stops by itself once the end point is closed.
    }

    /** Re-arms itself every second while the connection is open. */
    private final class Check implements Runnable {
        private final HttpConnection http;
        private final Scheduler scheduler;
        /** When the parser was first seen inside a request's headers, or -1 while it is not. */
        private long headersSince = -1;

        Check(HttpConnection http, Scheduler scheduler) {
            this.http = http;
            this.scheduler = scheduler;
        }

        @Override
        public void run() {
            if (!http.getEndPoint().isOpen()) {
                return;
            }
            var parser = http.getParser();
            boolean inHeaders = parser.inHeaderState() && !parser.isStart();
            long now = System.nanoTime();
            if (!inHeaders) {
                headersSince = -1;
            } else if (headersSince < 0) {
                headersSince = now;
            } else if (now - headersSince > limitNanos) {
                http.getEndPoint().close();
                return;
            }
            scheduler.schedule(this, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
