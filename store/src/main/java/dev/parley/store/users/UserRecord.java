package dev.parley.store.users;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A user as stored; {@code phone}, {@code email} and {@code passwordHash} may be null. */
public record UserRecord(UUID userId, String handle, String displayName, String phone, String email,
                         String passwordHash, Instant createdAt) {
    public UserRecord {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
