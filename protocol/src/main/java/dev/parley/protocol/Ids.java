package dev.parley.protocol;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parsing of the ids that appear in topics and payloads. */
public final class Ids {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {
    }

    /**
     * Only the canonical lower-case form: {@code UUID.fromString} also accepts forms such as
     * {@code 1-1-1-1-1}, which would let one user appear under several topic names.
     */
    public static Optional<UUID> parseUuid(String text) {
        if (text == null || !CANONICAL_UUID.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }
}
