package dev.parley.persistence.problems;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.fasterxml.jackson.core.JsonLocation;
import io.lettuce.core.RedisException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into HTTP responses, so every error of the API has the same
 * {@link Problem} shape whichever layer raised it: Parley's own {@link ProblemException}s, JSON bodies
 * Jackson cannot bind, the HTTP layer's {@link WebApplicationException}s (unknown path, wrong method,
 * media types), Cassandra outages (503, retryable), and anything unexpected, which becomes a 500 that
 * reveals nothing of the server's internals. More specific exception types win, so a mapper added
 * here (or one Quarkus ships, e.g. for security) takes precedence over the catch-all.
 */
final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        Response response = respond(e.toProblem());
        if (e.retryAfter().isPresent()) {
            return Response.fromResponse(response)
                    .header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().get().toMillis() + 999) / 1000)))
                    .build();
        }
        if (e.type().status() == 503) {
            // Every 503 of Parley is worth retrying; say when, as the store outage does.
            return Response.fromResponse(response).header("Retry-After", "5").build();
        }
        return response;
    }

    /**
     * A JSON body whose value does not fit the field (a string where a number belongs, …): a
     * validation problem naming the field by its JSON path, like any other invalid field.
     */
    @ServerExceptionMapper
    Response invalidBodyField(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        ProblemException problem;
        if (e instanceof UnrecognizedPropertyException) {
            // Refused rather than ignored: a misspelt optional field would otherwise silently do nothing.
            problem = ProblemException.invalidField(field, "is not a field of this request");
        } else if (field.isEmpty()) {
            problem = malformed(e);
        } else {
            problem = ProblemException.invalidField(field, "has the wrong type or shape for this field");
        }
        return respond(problem.toProblem());
    }

    /** A body that is not JSON at all; the location helps, the parser's message would leak internals. */
    @ServerExceptionMapper
    Response malformedBody(JsonProcessingException e) {
        return respond(malformed(e).toProblem());
    }

    private static ProblemException malformed(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return ProblemException.of(ProblemType.MALFORMED_BODY, at == null
                ? "The request body is not valid JSON"
                : "The request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    @ServerExceptionMapper
    Response http(WebApplicationException e, Request request, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        // Quarkus REST reports a body that does not parse as a 400 WebApplicationException around
        // Jackson's exception; it gets the same problem as Jackson's exception on its own.
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return invalidBodyField(mismatch);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedBody(json);
        }
        String target = request.getMethod() + " /" + uri.getPath().replaceFirst("^/", "");
        Problem problem = switch (status) {
            case 404 -> problemOf(ProblemType.NOT_FOUND, "There is no resource at " + target);
            case 405 -> problemOf(ProblemType.METHOD_NOT_ALLOWED, target + " is not supported");
            case 406 -> problemOf(ProblemType.NOT_ACCEPTABLE, target + " cannot produce any media type of the Accept header");
            case 415 -> problemOf(ProblemType.UNSUPPORTED_MEDIA_TYPE, target + " does not accept this Content-Type");
            // A status without a type of its own is titled with its reason phrase, as RFC 9457 does for about:blank.
            default -> new Problem(ProblemType.HTTP_ERROR.type(), reasonPhrase(status), status, e.getMessage(), null);
        };
        return respond(problem);
    }

    /**
     * Too few replicas answered in time: the request fails visibly instead of being acknowledged, which
     * is the point of LOCAL_QUORUM. That is an outage to retry after, not a bug, so it gets a 503 of
     * its own and a WARN line (without stack trace) rather than an ERROR with a reference.
     */
    @ServerExceptionMapper({AllNodesFailedException.class, DriverTimeoutException.class,
            QueryConsistencyException.class, UnavailableException.class})
    Response storeUnavailable(DriverException e) {
        LOG.warnf("Cassandra could not serve a request: %s", e.getMessage());
        return Response.fromResponse(respond(problemOf(ProblemType.STORE_UNAVAILABLE,
                        "The data store could not confirm the operation in time (too few replicas "
                                + "answered); retry in a few seconds")))
                .header("Retry-After", "5")
                .build();
    }

    /** Redis (presence) unreachable, disconnected or too slow: the same retryable 503 as a Cassandra outage. */
    @ServerExceptionMapper(RedisException.class)
    Response redisUnavailable(RedisException e) {
        LOG.warnf("Redis could not serve a request: %s", e.getMessage());
        return Response.fromResponse(respond(problemOf(ProblemType.STORE_UNAVAILABLE,
                        "The presence store could not answer in time; retry in a few seconds")))
                .header("Retry-After", "5")
                .build();
    }

    @ServerExceptionMapper
    Response unexpected(Throwable e) {
        // The client gets a reference to quote, the log gets the stack trace: never the other way round.
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        ProblemType type = ProblemType.UNEXPECTED;
        return respond(new Problem(type.type(), type.title(), type.status(),
                "The server could not complete the request; quote reference " + reference + " when reporting it",
                null));
    }

    private static Problem problemOf(ProblemType type, String detail) {
        return new Problem(type.type(), type.title(), type.status(), detail, null);
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? ProblemType.HTTP_ERROR.title() : known.getReasonPhrase();
    }

    private static Response respond(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            // RFC 9110 requires a challenge on every 401; Parley's only scheme is the bearer token.
            response.header("WWW-Authenticate", "Bearer realm=\"parley\"");
        }
        return response.build();
    }
}
