package dev.reelcars.accounts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.http.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The accounts' HTTP API, served by notify (the page's home):
 * <ul>
 *   <li>{@code POST /api/session} sign in ({@code {"name","password"}}): the session cookie and the token;
 *       {@code GET} who am I; {@code DELETE} sign out ({@code ?everywhere=true} ends every session and token)</li>
 *   <li>{@code POST /api/register}: a contributor account awaiting approval (when self-registration is on)</li>
 *   <li>{@code GET|POST /api/accounts}, {@code PATCH /api/accounts/{name}}: admins list, create, change roles and
 *       status; {@code POST /api/accounts/{name}/password}: an admin resets, or a person changes their own</li>
 *   <li>{@code GET|POST /api/tokens}, {@code DELETE /api/tokens/{id}}: one's own API tokens</li>
 *   <li>{@code GET /api/audit?actor=&action=&target=&since=&limit=}: admins read the audit trail</li>
 * </ul>
 */
public final class AccountsApi {
    private static final ObjectMapper STRICT = EventCodec.mapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final AccountService accounts;
    private final Authenticator auth;
    private final AuditLog audit;
    private final AccountsConfig config;

    record Credentials(String name, String password) {
    }

    record NewAccount(String name, String password, List<String> roles) {
    }

    record AccountChange(List<String> roles, String status) {
    }

    record PasswordChange(String current, String password) {
    }

    record TokenRequest(String label) {
    }

    public AccountsApi(AccountService accounts, Authenticator auth, AuditLog audit, AccountsConfig config) {
        this.accounts = accounts;
        this.auth = auth;
        this.audit = audit;
        this.config = config;
    }

    public void routes(Javalin app) {
        app.post("/api/session", this::signIn);
        app.get("/api/session", ctx -> {
            Principal p = auth.requireSignedIn(ctx);
            ctx.json(Map.of("name", p.name(), "roles", wire(p.roles())));
        });
        app.delete("/api/session", this::signOut);
        app.post("/api/register", ctx -> {
            Credentials c = body(ctx, Credentials.class);
            Account a = accounts.register(c.name(), chars(c.password()), ctx.ip());
            ctx.status(201).json(view(a));
        });
        app.get("/api/accounts", ctx -> {
            auth.require(ctx, Role.ADMIN);
            ctx.json(accounts.directory().all().stream().map(AccountsApi::view).toList());
        });
        app.post("/api/accounts", ctx -> {
            Principal admin = auth.require(ctx, Role.ADMIN);
            NewAccount n = body(ctx, NewAccount.class);
            Account a = accounts.create(admin, ctx.ip(), n.name(), chars(n.password()), roles(n.roles()));
            ctx.status(201).json(view(a));
        });
        app.patch("/api/accounts/{name}", ctx -> {
            Principal admin = auth.require(ctx, Role.ADMIN);
            AccountChange c = body(ctx, AccountChange.class);
            Account.Status status = c.status() == null ? null : status(c.status());
            Account a = accounts.update(admin, ctx.ip(), ctx.pathParam("name"),
                    c.roles() == null ? null : roles(c.roles()), status);
            ctx.json(view(a));
        });
        app.post("/api/accounts/{name}/password", ctx -> {
            Principal who = auth.requireSignedIn(ctx);
            PasswordChange c = body(ctx, PasswordChange.class);
            accounts.setPassword(who, ctx.ip(), ctx.pathParam("name"),
                    c.current() == null ? null : c.current().toCharArray(), chars(c.password()));
            ctx.status(204);
        });
        app.get("/api/tokens", ctx -> {
            Principal p = auth.requireSignedIn(ctx);
            ctx.json(accounts.directory().find(p.name()).map(Account::apiTokens).orElse(List.of()));
        });
        app.post("/api/tokens", ctx -> {
            Principal p = auth.requireSignedIn(ctx);
            TokenRequest r = body(ctx, TokenRequest.class);
            String token = accounts.createApiToken(p, ctx.ip(), r.label());
            ctx.status(201).json(Map.of("token", token, "note", "shown once: keep it secret"));
        });
        app.delete("/api/tokens/{id}", ctx -> {
            Principal p = auth.requireSignedIn(ctx);
            accounts.revokeApiToken(p, ctx.ip(), ctx.pathParam("id"));
            ctx.status(204);
        });
        app.get("/api/audit", this::audit);
    }

    private void signIn(Context ctx) {
        Credentials c = body(ctx, Credentials.class);
        if (c.name() == null || c.password() == null) {
            throw new ApiException(400, "bad-request", "send {\"name\": ..., \"password\": ...}");
        }
        AccountService.SignedIn s;
        try {
            s = accounts.signIn(c.name(), c.password().toCharArray(), ctx.ip());
        } catch (SignInGuard.LockedOut e) {
            throw new ApiException(429, "too-many-requests", e.getMessage(),
                    (int) Math.max(1, e.retryAfter().toSeconds()));
        }
        ctx.cookie(new Cookie(Authenticator.COOKIE, s.token(), "/", (int) config.sessionTtl().toSeconds(),
                config.secureCookies(), 0, true, null, null, SameSite.STRICT));
        ctx.json(Map.of("name", s.account().name(), "roles", wire(s.account().roles()), "token", s.token(),
                "expires", s.expires()));
    }

    private void signOut(Context ctx) {
        auth.current(ctx).ifPresent(p -> {
            if ("true".equals(ctx.queryParam("everywhere"))) {
                auth.requireSignedIn(ctx);
                accounts.signOutEverywhere(p, ctx.ip());
            }
        });
        ctx.removeCookie(Authenticator.COOKIE, "/");
        ctx.status(204);
    }

    private void audit(Context ctx) {
        auth.require(ctx, Role.ADMIN);
        Instant since = null;
        String sinceText = ctx.queryParam("since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText);
            } catch (DateTimeParseException e) {
                throw new ApiException(400, "bad-since", "since is an ISO-8601 instant, e.g. 2026-12-05T10:00:00Z");
            }
        }
        int limit;
        try {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(ctx.queryParamAsClass("limit", String.class)
                    .getOrDefault("100"))));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "bad-limit", "limit is a whole number");
        }
        ctx.json(audit.find(ctx.queryParam("actor"), ctx.queryParam("action"), ctx.queryParam("target"), since,
                limit));
    }

    /** An account as the API shows it: never the hash. */
    static Map<String, Object> view(Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.name());
        out.put("roles", wire(a.roles()));
        out.put("status", a.status().name().toLowerCase());
        out.put("apiTokens", a.apiTokens().size());
        out.put("updatedAt", a.updatedAt());
        out.put("updatedBy", a.updatedBy());
        return out;
    }

    private static List<String> wire(Set<Role> roles) {
        return roles.stream().sorted().map(Role::wire).toList();
    }

    /** Reads a JSON body into a record: 415 for another content type, 400 for bad JSON or unknown fields. */
    public static <T> T body(Context ctx, Class<T> type) {
        Authenticator.requireJson(ctx);
        try {
            T value = STRICT.readValue(ctx.bodyAsBytes(), type);
            if (value == null) {
                throw new ApiException(400, "bad-json", "expected a JSON object");
            }
            return value;
        } catch (IOException e) {
            throw new ApiException(400, "bad-json", "the body is not the expected JSON object");
        }
    }

    private static char[] chars(String password) {
        if (password == null) {
            throw new ApiException(400, "bad-request", "a password is required");
        }
        return password.toCharArray();
    }

    private static Set<Role> roles(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new ApiException(400, "bad-roles", "give at least one role: contributor, reviewer, admin");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String n : names) {
            try {
                roles.add(Role.parse(n));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad-roles", e.getMessage());
            }
        }
        return roles;
    }

    private static Account.Status status(String text) {
        try {
            return Account.Status.valueOf(text.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad-status", "status is pending, active or disabled");
        }
    }
}
