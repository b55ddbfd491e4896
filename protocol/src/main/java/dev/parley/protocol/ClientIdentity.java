package dev.parley.protocol;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who a connection is: MQTT client id {@code {userId}/{deviceId}}. The user id is the UUID
 * persistence-service assigned; the device id is chosen by the app and stable per installation.
 */
public record ClientIdentity(UUID userId, String deviceId) {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ClientIdentity {
        if (!isValidDeviceId(deviceId)) {
            throw new IllegalArgumentException("device id must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
    }

    public static boolean isValidDeviceId(String deviceId) {
        return deviceId != null && DEVICE_ID.matcher(deviceId).matches();
    }

    /** Empty when the client id is not {@code <uuid>/<device id>}. */
    public static Optional<ClientIdentity> parse(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        int slash = clientId.indexOf('/');
        if (slash <= 0 || slash != clientId.lastIndexOf('/')) {
            return Optional.empty();
        }
        Optional<UUID> user = Ids.parseUuid(clientId.substring(0, slash));
        String device = clientId.substring(slash + 1);
        if (user.isEmpty() || !isValidDeviceId(device)) {
            return Optional.empty();
        }
        return Optional.of(new ClientIdentity(user.get(), device));
    }

    public String clientId() {
        return userId + "/" + deviceId;
    }
}
