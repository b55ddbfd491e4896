package dev.parley.push.targets;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The devices of a user that registered a push token (through persistence-service's
 * {@code PUT /v1/me/devices/{deviceId}}), and the removal of a token FCM reports dead.
 */
public interface PushTargets {

    /** One device that can receive pushes. {@code platform} is what the device registered as (e.g. android, ios, web). */
    record Target(String deviceId, String platform, String token) {
        public Target {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(token, "token");
        }
    }

    /** Every registered push target of a user; empty when none. */
    CompletionStage<List<Target>> of(UUID user);

    /**
     * Removes {@code token} from the device, unless the device has registered another token since
     * (a fresh token must never be deleted because an old one died).
     */
    CompletionStage<Void> forget(UUID user, String deviceId, String token);
}
