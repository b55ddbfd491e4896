package dev.parley.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Parley service connected to the broker as an MQTT client (today only presence-bridge): client id
 * {@code svc:{service}:{instance}}, user name {@code svc:{service}}, password a service token
 * ({@link dev.parley.protocol.tokens.ServiceTokens}). The {@code svc:} prefix cannot start a device's
 * client id (that starts with a UUID), so the two kinds of connection never mix.
 *
 * @param service  which service ({@link #PRESENCE_BRIDGE})
 * @param instance this process's name among the service's instances (1-64 of A-Z a-z 0-9 _ . -); a stable
 *                 one lets a restarted instance resume its MQTT session
 */
public record ServiceClient(String service, String instance) {

    public static final String PRESENCE_BRIDGE = "presence-bridge";
    static final String PREFIX = "svc:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public ServiceClient {
        if (!PRESENCE_BRIDGE.equals(service)) {
            throw new IllegalArgumentException("unknown service '" + service + "': only " + PRESENCE_BRIDGE + " exists");
        }
        if (instance == null || !NAME.matcher(instance).matches()) {
            throw new IllegalArgumentException("service instance must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
    }

    /** True when a client id claims to be a service (whether or not it is a valid one). */
    public static boolean claimsService(String clientId) {
        return clientId != null && clientId.startsWith(PREFIX);
    }

    /** Empty when the client id is not {@code svc:{known service}:{instance}}. */
    public static Optional<ServiceClient> parse(String clientId) {
        if (!claimsService(clientId)) {
            return Optional.empty();
        }
        String[] parts = clientId.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !PRESENCE_BRIDGE.equals(parts[0]) || !NAME.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceClient(parts[0], parts[1]));
    }

    public String clientId() {
        return PREFIX + service + ":" + instance;
    }

    /** The MQTT user name the service connects with. */
    public String userName() {
        return PREFIX + service;
    }
}
