package dev.parley.persistence.problems;

import java.util.List;

/**
 * Thrown by resources and services to answer with a problem of a known {@link ProblemType}. It is
 * an expected outcome, not a fault, so it carries no stack trace.
 */
public final class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    private ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    public static ProblemException of(ProblemType type, String detail) {
        if (type.status() == 0) {
            throw new IllegalArgumentException(type + " has no status of its own");
        }
        return new ProblemException(type, detail, null);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail, null);
    }

    /** A request field (path, query or body) that cannot be accepted; the detail names it too. */
    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** Several invalid fields at once, so a client can show every mistake of a form in one round trip. */
    public static ProblemException invalidFields(List<Problem.FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no field errors");
        }
        String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                .collect(java.util.stream.Collectors.joining("; "));
        return new ProblemException(ProblemType.VALIDATION, detail, List.copyOf(errors));
    }

    public ProblemType type() {
        return type;
    }

    /** The invalid fields of a validation problem; null for other problems. */
    public List<Problem.FieldError> errors() {
        return errors;
    }

    Problem toProblem() {
        return new Problem(type.type(), type.title(), type.status(), getMessage(), errors);
    }
}
