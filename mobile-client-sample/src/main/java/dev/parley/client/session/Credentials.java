package dev.parley.client.session;

import java.time.Instant;
import java.util.UUID;

/**
 * What a login gives a device: the access token (MQTT password and REST bearer token) for one device of
 * one user, and when it stops being accepted.
 */
public record Credentials(UUID userId, String deviceId, String token, Instant expiresAt) {

    /** The MQTT client id the broker requires for this token. */
    public String clientId() {
        return userId + "/" + deviceId;
    }

    @Override
    public String toString() {
        return "Credentials[" + clientId() + ", expires " + expiresAt + "]"; // never the token itself
    }
}
