package dev.parley.protocol.tokens;

import dev.parley.protocol.ClientIdentity;
import java.util.Optional;

/**
 * The contract by which a logout reaches the broker nodes: persistence-service publishes the logged-out
 * device's client id ({@code {userId}/{deviceId}}) on the Redis channel {@value #CHANNEL} once the
 * device's row is revoked, and every broker node closes that client's connection if it has it (new
 * connections of that device are refused at CONNECT by the same revoked row).
 */
public final class DeviceLogouts {

    public static final String CHANNEL = "parley:device-logouts";

    private DeviceLogouts() {
    }

    public static String message(ClientIdentity device) {
        return device.clientId();
    }

    /** The device a message names; empty when it is not a client id. */
    public static Optional<ClientIdentity> parse(String message) {
        return ClientIdentity.parse(message);
    }
}
