package dev.reelcars.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reelcars.events.EventCodec;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Jetty's own answers in the same JSON as every other error ({@code {"error","message"}}) instead of its HTML page.
 * Jetty answers on its own before Javalin sees a request it cannot parse: a bad request line (400), a URI longer than
 * the request header buffer (414), headers beyond it (431); those go through {@link #badMessageError}. Anything else
 * Jetty answers itself (outside Javalin's servlet) goes through {@link #generateAcceptableResponse}.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        if (HttpStatus.hasNoBody(status)) {
            return BufferUtil.EMPTY_BUFFER;
        }
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        if (HttpStatus.hasNoBody(code)) {
            return;
        }
        response.setContentType("application/json");
        byte[] body = json(code, message);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static byte[] json(int status, String reason) {
        String message = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        try {
            return EventCodec.mapper().writeValueAsBytes(new ApiError(HttpErrors.codeFor(status), message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
