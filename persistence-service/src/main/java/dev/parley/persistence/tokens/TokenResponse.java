package dev.parley.persistence.tokens;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AccessToken", description = "An access token for one device: the REST bearer token and the MQTT password")
public record TokenResponse(
        @Schema(required = true, description = "HS256 JWT; send as 'Authorization: Bearer <token>' and as the MQTT "
                + "password (username: userId, client id: userId/deviceId)") String token,
        @Schema(required = true) UUID userId,
        @Schema(required = true, example = "pixel-7a") String deviceId,
        @Schema(required = true, description = "When the token stops being accepted; refresh before") Instant expiresAt) {
}
