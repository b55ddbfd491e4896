package dev.parley.persistence.tokens;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/tokens}. */
@Schema(name = "Login", description = "Credentials and the device that logs in")
public record LoginRequest(
        @Schema(required = true, example = "ada") String handle,
        @Schema(required = true, format = "password") String password,
        @Schema(required = true, example = "pixel-7a", pattern = "^[A-Za-z0-9_-]{1,64}$",
                description = "Chosen by the app, stable per installation; 1-64 characters of A-Z a-z 0-9 _ -. "
                        + "The MQTT client id is then {userId}/{deviceId}") String deviceId) {
}
