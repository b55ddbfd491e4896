package dev.parley.persistence.devices;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.store.accounts.DeviceRecord;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One of the caller's devices. A logged-out device never shows a push token. */
@Schema(name = "Device", description = "One of your devices and its push registration")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceView(
        @Schema(required = true, example = "pixel-7a") String deviceId,
        @Schema(required = true, description = "False after a logout of this device, until it logs in again")
        boolean loggedIn,
        @Schema(description = "When the device first logged in") Instant createdAt,
        @Schema(description = "When the device last logged in") Instant lastLoginAt,
        @Schema(description = "android, ios or web; absent without a push registration") String platform,
        @Schema(description = "Absent without a push registration, and always for a logged-out device") String pushToken,
        @Schema(description = "When the push token was registered") Instant pushTokenUpdatedAt) {

    static DeviceView of(DeviceRecord device) {
        boolean loggedIn = !device.revoked();
        return new DeviceView(device.deviceId(), loggedIn, device.createdAt(), device.lastLoginAt(),
                loggedIn ? device.platform() : null, loggedIn ? device.pushToken() : null,
                loggedIn ? device.pushTokenUpdatedAt() : null);
    }
}
