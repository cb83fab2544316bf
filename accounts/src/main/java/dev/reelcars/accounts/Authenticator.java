package dev.reelcars.accounts;

import dev.reelcars.platform.http.ApiException;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one check every HTTP endpoint of every service uses: who is asking ({@code Authorization: Bearer} for scripts,
 * the {@value #COOKIE} cookie for the page), whether the account still exists, is active and holds the role, and,
 * for a state-changing request carried by the cookie, whether it comes from the page's own origin (a page on another
 * port of the same host is the same site, so {@code SameSite} alone does not stop a forged form). Trusted origins
 * are the configured page origins and the origin of the server the request was sent to.
 */
public final class Authenticator {
    public static final String COOKIE = "reelcars_session";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Tokens tokens;
    private final AccountDirectory accounts;
    private final Set<String> trustedOrigins;
    private final Clock clock;

    /**
     * @param trustedOrigins the origins ({@code scheme://host:port}) of the page that may write with the cookie
     */
    public Authenticator(Tokens tokens, AccountDirectory accounts, Set<String> trustedOrigins, Clock clock) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.trustedOrigins = Set.copyOf(trustedOrigins);
        this.clock = clock;
    }

    /** The verified caller, or empty (no token, a bad or expired one, a revoked one, an inactive account). */
    public Optional<Principal> current(Context ctx) {
        String header = ctx.header("Authorization");
        boolean viaCookie = false;
        String token;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else {
            token = ctx.cookie(COOKIE);
            viaCookie = true;
        }
        final boolean cookie = viaCookie;
        return tokens.verify(token, clock.instant()).flatMap(claims -> accounts.find(claims.name())
                .filter(Account::isActive)
                .filter(a -> !claims.issuedAt().isBefore(a.tokensNotBefore()))
                .filter(a -> claims.kind() != Tokens.Kind.API
                        || a.apiTokens().stream().anyMatch(t -> t.id().equals(claims.id())))
                .map(a -> new Principal(a.name(), a.roles(), cookie, claims.kind(), claims.id())));
    }

    /** The signed-in caller (401 otherwise), origin-checked when it writes with the cookie (403). */
    public Principal requireSignedIn(Context ctx) {
        Principal p = current(ctx).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"reelcars\"");
            return new ApiException(401, "unauthorized", "sign in first");
        });
        if (p.viaCookie() && !SAFE_METHODS.contains(ctx.method().name())) {
            requireTrustedOrigin(ctx);
        }
        return p;
    }

    /** A signed-in caller holding {@code role}: 401 for anonymous, 403 for anyone else. */
    public Principal require(Context ctx, Role role) {
        Principal p = requireSignedIn(ctx);
        if (!p.has(role)) {
            throw new ApiException(403, "forbidden", p.name() + " is not a " + role.wire());
        }
        return p;
    }

    /**
     * A cookie-carried write must name its origin, and it must be the page's: browsers send {@code Origin} on every
     * cross-origin POST and on same-origin ones too; {@code Referer} is the fallback of older ones.
     */
    public void requireTrustedOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            origin = originOf(ctx.header("Referer"));
        }
        // The page served by this very server is trusted too: its Origin names the Host the browser sent the request
        // to. A page elsewhere (another port is another origin) cannot make its Origin equal our Host, and a DNS
        // rebinding page has another host name, for which the browser holds no reelcars cookie.
        String self = ctx.host() == null ? null : (ctx.scheme() + "://" + ctx.host()).toLowerCase(Locale.ROOT);
        if (origin == null || !(trustedOrigins.contains(origin.toLowerCase(Locale.ROOT))
                || origin.toLowerCase(Locale.ROOT).equals(self))) {
            throw new ApiException(403, "cross-site", "a signed-in browser request must come from the reelcars page"
                    + " (origin " + (origin == null ? "missing" : origin) + " is not trusted)");
        }
    }

    /** A JSON endpoint refuses other bodies (a cross-site form can only send form or text bodies). */
    public static void requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported-media-type", "send the body as application/json");
        }
    }

    /** {@code scheme://host[:port]} of a URL, lower case, or null when it is not an absolute http(s) URL. */
    public static String originOf(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            return (u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : ""))
                    .toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
