package dev.parley.persistence.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body (Content-Length) is larger than {@code parley.http.max-body-bytes}
 * with a 413 problem, before anything reads it. Quarkus' own limit ({@code quarkus.http.limits.max-body-size})
 * stays above this one as the last line for bodies without a Content-Length; it answers with a bare 413.
 * A Vert.x route handler, because the HTTP layer rejects oversized bodies before any JAX-RS mapper runs.
 */
@ApplicationScoped
final class BodySizeLimit {

    /** 256 KiB: a sync request with ~2,900 cursors; every other body is far smaller. */
    static final long DEFAULT_MAX_BYTES = 262_144;

    private final long maxBytes;
    private final ObjectMapper json;

    BodySizeLimit(@ConfigProperty(name = "parley.http.max-body-bytes", defaultValue = "" + DEFAULT_MAX_BYTES) long maxBytes, ObjectMapper json) {
        this.maxBytes = maxBytes;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (declared <= maxBytes) {
            context.next();
            return;
        }
        ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
        Problem problem = new Problem(type.type(), type.title(), type.status(), "The request body has " + declared
                + " bytes; this service accepts at most " + maxBytes + " bytes (" + (maxBytes / 1024) + " KiB)", null);
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // The unread body is not drained: the connection is closed after the answer.
        context.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
