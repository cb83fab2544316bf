package dev.reelcars.catalogue;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The three pages (search, a vehicle, a film): plain HTML, one script and one style sheet from the module's
 * resources, filled in by the script from the JSON API. No inline script or style anywhere, so the policy allows
 * scripts, styles, images and requests from this origin only. The head, the top bar and the status line are
 * {@code page.html}'s, once; each page's own part is its fragment, put into the shell's {@code <main>} at start.
 */
final class CataloguePages {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> HEADERS = Map.of("Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer", "Cache-Control", "no-cache");

    private final byte[] search;
    private final byte[] vehicle;
    private final byte[] film;
    private final String signInUrl;

    CataloguePages(String signInUrl) {
        this.search = compose("Search", "search");
        this.vehicle = compose("Vehicle", "vehicle");
        this.film = compose("Film", "film");
        this.signInUrl = signInUrl;
    }

    /** Call inside {@code Javalin.create}: the script, style sheet and icons under {@code /assets}. */
    static void configure(JavalinConfig c) {
        c.staticFiles.add(sf -> {
            sf.hostedPath = "/assets";
            sf.directory = "/catalogue-pages/assets";
            sf.location = Location.CLASSPATH;
            sf.headers = HEADERS;
        });
    }

    void routes(Javalin app) {
        app.get("/", ctx -> page(ctx, search));
        app.get("/vehicles/{id}", ctx -> page(ctx, vehicle));
        app.get("/films/{id}", ctx -> page(ctx, film));
        // Where a reader of a members-only catalogue signs in (the workbench's page).
        app.get("/api/sign-in", ctx -> ctx.json(Map.of("url", signInUrl)));
    }

    private static void page(Context ctx, byte[] html) {
        HEADERS.forEach(ctx::header);
        ctx.contentType("text/html; charset=utf-8").result(html);
    }

    /** The shell with the page's title, its name (which the script reads) and its own part. */
    private static byte[] compose(String title, String name) {
        // The fragment's first line is a comment for whoever edits it, not for the reader.
        String main = resource(name + ".html").replaceFirst("^<!--[^\n]*-->\n", "");
        return resource("page.html").replace("{{title}}", title).replace("{{page}}", name).replace("{{main}}", main)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = CataloguePages.class.getResourceAsStream("/catalogue-pages/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing page resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
