package dev.parley.persistence.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of every error response, served as {@code application/problem+json} (RFC 9457).
 * {@code errors} names the offending fields of a validation error and is absent otherwise.
 */
@Schema(name = "Problem", description = "An error, as application/problem+json (RFC 9457)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(description = "Stable identifier of the kind of error; switch on this, not on title",
                example = "urn:parley:problem:not-found", required = true) URI type,
        @Schema(description = "Short summary of the kind of error", required = true) String title,
        @Schema(description = "HTTP status code", example = "404", required = true) int status,
        @Schema(description = "What went wrong with this request", required = true) String detail,
        @Schema(description = "Per-field errors of a validation error") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? null : List.copyOf(errors);
    }

    /** One invalid field: its name as the client sent it (path, query or body) and why it was refused. */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(required = true, example = "id") String field,
            @Schema(required = true, example = "must be a UUID") String message) {
    }
}
