package dev.parley.persistence.problems;

import java.util.UUID;
import java.util.regex.Pattern;

/** Parses request values that JAX-RS would otherwise reject with a bare 404 or accept too leniently. */
public final class RequestValues {

    // UUID.fromString accepts "1-2-3-4-5"; ids are only ever the canonical 36-character form.
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RequestValues() {
    }

    /** The UUID in {@code value}, or a validation problem naming {@code field}. */
    public static UUID uuid(String field, String value) {
        if (value == null || !CANONICAL_UUID.matcher(value).matches()) {
            throw ProblemException.invalidField(field,
                    "must be a UUID such as 3f0c2a56-8a4e-4c57-9e4f-6b1d2c3e4f50");
        }
        return UUID.fromString(value);
    }
}
