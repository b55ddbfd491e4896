package dev.parley.store.accounts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A device a user logged in from. {@code tokenId} is the id (jti) of the newest token issued to it,
 * null after logout; {@code revokedAt} is null unless the device's session was ended. {@code platform},
 * {@code pushToken} and {@code pushTokenUpdatedAt} are its push registration, null when it has none
 * (always null for a revoked device: logout clears them).
 */
public record DeviceRecord(UUID userId, String deviceId, Instant createdAt, Instant lastLoginAt,
                           String tokenId, boolean revoked, Instant revokedAt,
                           String platform, String pushToken, Instant pushTokenUpdatedAt) {
    public DeviceRecord {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
