package dev.parley.protocol.presence;

import dev.parley.protocol.Ids;
import java.util.Optional;
import java.util.UUID;

/**
 * The contract by which an ended friendship reaches the broker nodes: persistence-service publishes
 * {@code {userA}:{userB}} on the Redis channel {@value #CHANNEL} once the friendship rows are gone, and every
 * broker node removes, from the sessions it holds, each device's subscription to the other user's
 * {@code presence/{id}} (the friends-only rule is checked at SUBSCRIBE; without this an ex-friend's
 * subscription, kept in a persistent session, would go on receiving presence).
 */
public final class Unfriendings {

    public static final String CHANNEL = "parley:unfriendings";

    public record Pair(UUID a, UUID b) {
    }

    private Unfriendings() {
    }

    public static String message(UUID a, UUID b) {
        return a + ":" + b;
    }

    /** The two users a message names; empty when it does not name two user ids. */
    public static Optional<Pair> parse(String message) {
        String[] parts = message == null ? new String[0] : message.split(":", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        Optional<UUID> a = Ids.parseUuid(parts[0]);
        Optional<UUID> b = Ids.parseUuid(parts[1]);
        return a.isPresent() && b.isPresent() ? Optional.of(new Pair(a.get(), b.get())) : Optional.empty();
    }
}
