package dev.reelcars.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.Javalin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks that keep a hand-written description honest find what is wrong with one. */
class ApiDescriptionTest {
    private final ApiDescription flawed = ApiDescription.fromResource(ApiDescriptionTest.class, "/openapi/flawed.json");

    @Test
    void listsRoutesNotDescribedAndOperationsNotServed() {
        Javalin app = Javalin.create();
        app.get("/things/{id}", ctx -> ctx.result("x"));
        app.post("/things", ctx -> ctx.result("x"));
        app.before("/things", ctx -> { });
        flawed.serve(app);

        List<String> routes = ApiDescription.routes(app);

        assertEquals(List.of("GET /openapi.json", "GET /things/{id}", "POST /things"), routes.stream().sorted().toList(),
                "before-handlers are not routes");
        assertEquals(List.of("not described: GET /openapi.json", "not described: POST /things",
                "described but not served: DELETE /gone"), flawed.undescribed(routes));
    }

    @Test
    void findsExamplesThatDoNotFitAndErrorsThatAreNotTheErrorBody() {
        assertEquals(List.of(
                "GET /things/{id} 200 example: misses the required property id",
                "GET /things/{id} 200 example.name: 7 is not of type string",
                "GET /things/{id} 404: an error body must be #/components/schemas/Error",
                "DELETE /gone: no error response described"), flawed.problems());
    }
}
