package dev.reelcars.notify;

import dev.reelcars.contracts.ApiException;
import io.javalin.http.Context;
import java.util.Optional;

/** Who is asking: a bearer token or the session cookie, checked against {@link Sessions}. */
final class Auth {
    static final String COOKIE = "reelcars_session";

    private final Sessions sessions;

    Auth(Sessions sessions) {
        this.sessions = sessions;
    }

    Optional<Sessions.Session> current(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return sessions.lookup(header.substring(7).trim());
        }
        return sessions.lookup(ctx.cookie(COOKIE));
    }

    /** The signed-in person, or 401. */
    Sessions.Session requireSignedIn(Context ctx) {
        return current(ctx).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"reelcars\"");
            return new ApiException(401, "unauthorized", "sign in first");
        });
    }

    /** A signed-in reviewer: 401 for anonymous, 403 for anyone else. */
    Sessions.Session requireReviewer(Context ctx) {
        Sessions.Session s = requireSignedIn(ctx);
        if (!s.isReviewer()) {
            throw new ApiException(403, "forbidden", s.name() + " is not a reviewer");
        }
        return s;
    }
}
