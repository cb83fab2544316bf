package dev.reelcars.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A service's OpenAPI 3 description, written by hand as a JSON resource and served at {@code GET /openapi.json}.
 * Being hand-written, it is kept honest by checks the services' tests run against the running app:
 * {@link #undescribed} (every route the app serves is in the document, and nothing else is) and {@link #problems}
 * (every example fits its schema, every error response is the {@code {"error","message"}} body).
 */
public final class ApiDescription {
    public static final String PATH = "/openapi.json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final byte[] bytes;
    private final JsonNode document;

    private ApiDescription(byte[] bytes) {
        this.bytes = bytes;
        try {
            this.document = EventCodec.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("the API description is not JSON: " + e.getMessage(), e);
        }
    }

    /** Reads the description from the owner's classpath resource (e.g. {@code /openapi/ingest.json}). */
    public static ApiDescription fromResource(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + resource);
            }
            return new ApiDescription(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** Serves the description at {@value #PATH}: public, like the API it describes. */
    public void serve(Javalin app) {
        app.get(PATH, ctx -> ctx.contentType("application/json").result(bytes));
    }

    /**
     * Every HTTP route the app has, as {@code "GET /api/clips/{id}"}, read from Javalin's router (the same list its
     * route overview plugin shows). Before/after handlers are not routes.
     */
    public static List<String> routes(Javalin app) {
        List<String> routes = new ArrayList<>();
        for (var entry : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            HandlerType method = entry.getEndpoint().getMethod();
            if (method.isHttpMethod()) {
                routes.add(method.name() + " " + entry.getEndpoint().getPath().replace('<', '{').replace('>', '}'));
            }
        }
        return routes;
    }

    /** The operations of the document, as {@code "GET /api/clips/{id}"}. */
    public List<String> operations() {
        List<String> ops = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                ops.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        return ops;
    }

    /** Routes the document does not describe and operations no route serves; empty when the two agree. */
    public List<String> undescribed(List<String> routes) {
        TreeSet<String> missing = new TreeSet<>(routes);
        operations().forEach(missing::remove);
        TreeSet<String> extra = new TreeSet<>(operations());
        routes.forEach(extra::remove);
        List<String> out = new ArrayList<>();
        missing.forEach(r -> out.add("not described: " + r));
        extra.forEach(r -> out.add("described but not served: " + r));
        return out;
    }

    /**
     * What is wrong inside the document: an example that does not fit its schema (types, required properties,
     * enums; {@code $ref} to {@code #/components/schemas} followed), an operation without an error response, or an
     * error response (4xx, 5xx) whose JSON body is not the {@code Error} schema.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        JsonNode errorSchema = document.path("components").path("schemas").path("Error");
        if (!errorSchema.path("required").toString().contains("\"error\"")
                || !errorSchema.path("required").toString().contains("\"message\"")) {
            problems.add("components.schemas.Error must require error and message");
        }
        document.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            String where = op.getKey().toUpperCase() + " " + p.getKey();
            JsonNode responses = op.getValue().path("responses");
            boolean hasError = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
                var r = it.next();
                JsonNode response = resolve(r.getValue());
                boolean error = r.getKey().startsWith("4") || r.getKey().startsWith("5");
                hasError |= error;
                JsonNode json = response.path("content").path("application/json");
                if (error && !json.path("schema").path("$ref").asText().equals("#/components/schemas/Error")) {
                    problems.add(where + " " + r.getKey() + ": an error body must be #/components/schemas/Error");
                }
                checkExamples(where + " " + r.getKey(), response.path("content"), problems);
            }
            if (!hasError) {
                problems.add(where + ": no error response described");
            }
            checkExamples(where + " request", resolve(op.getValue().path("requestBody")).path("content"), problems);
        }));
        return problems;
    }

    private void checkExamples(String where, JsonNode content, List<String> problems) {
        content.fields().forEachRemaining(c -> {
            JsonNode schema = c.getValue().path("schema");
            if (c.getValue().has("example")) {
                check(where + " example", schema, c.getValue().get("example"), problems);
            }
            c.getValue().path("examples").fields().forEachRemaining(e ->
                    check(where + " example " + e.getKey(), schema, resolve(e.getValue()).path("value"), problems));
        });
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (ref.isEmpty()) {
            return node;
        }
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("only local references are supported: " + ref);
        }
        JsonNode target = document.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException("unresolved reference " + ref);
        }
        return resolve(target);
    }

    private void check(String where, JsonNode schemaOrRef, JsonNode value, List<String> problems) {
        JsonNode schema = resolve(schemaOrRef);
        if (schema.isMissingNode() || schema.isEmpty()) {
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(where + ": null where the schema does not allow it");
            }
            return;
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            JsonNode options = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
            for (JsonNode option : options) {
                List<String> sub = new ArrayList<>();
                check(where, option, value, sub);
                if (sub.isEmpty()) {
                    return;
                }
            }
            problems.add(where + ": fits none of the schema's alternatives");
            return;
        }
        String type = schema.path("type").asText("");
        boolean fits = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!fits) {
            problems.add(where + ": " + value + " is not of type " + type);
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(where + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(where + ": misses the required property " + required.asText());
                }
            }
            value.fields().forEachRemaining(f -> {
                JsonNode property = schema.path("properties").path(f.getKey());
                if (!property.isMissingNode()) {
                    check(where + "." + f.getKey(), property, f.getValue(), problems);
                } else if (schema.path("additionalProperties").isObject()) {
                    check(where + "." + f.getKey(), schema.get("additionalProperties"), f.getValue(), problems);
                } else if (schema.has("properties") && !schema.path("additionalProperties").asBoolean(true)) {
                    problems.add(where + ": has the undescribed property " + f.getKey());
                }
            });
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                check(where + "[" + i++ + "]", schema.get("items"), item, problems);
            }
        }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode n : array) {
            if (n.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
