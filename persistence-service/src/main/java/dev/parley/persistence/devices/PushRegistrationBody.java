package dev.parley.persistence.devices;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /v1/me/devices/{deviceId}}. */
@Schema(name = "PushRegistration", description = "Where push notifications for this device go")
public record PushRegistrationBody(
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"android", "ios", "web"}) String platform,
        @Schema(required = true, minLength = 1, maxLength = Devices.MAX_TOKEN_LENGTH,
                description = "The device's push token (the FCM registration token); 1-" + Devices.MAX_TOKEN_LENGTH
                        + " visible ASCII characters, no spaces") String pushToken) {
}
