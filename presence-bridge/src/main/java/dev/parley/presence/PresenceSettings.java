package dev.parley.presence;

import java.time.Duration;
import java.util.Objects;

/**
 * What the bridge runs with; {@link PresenceConfig} documents each value and its default.
 *
 * @param mqttUri         the broker, e.g. tcp://127.0.0.1:1883
 * @param instance        this bridge's name among the bridges (its MQTT session)
 * @param tokenSecret     the broker's access token secret, to mint the bridge's service token. Never logged
 * @param deviceLease     how long one "online" report keeps a device online
 * @param publishInterval at most one aggregate publish per user per this interval
 * @param sweepInterval   how often expired device leases are looked for
 * @param sessionExpiry   how long the broker keeps the bridge's session (and queues reports) while it is away
 * @param tokenLifetime   lifetime of each service token (the broker ends the connection then; the bridge reconnects)
 */
record PresenceSettings(String mqttUri, String instance, String tokenSecret, Duration deviceLease,
                        Duration publishInterval, Duration sweepInterval, Duration sessionExpiry,
                        Duration tokenLifetime) {

    PresenceSettings {
        Objects.requireNonNull(mqttUri, "mqttUri");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(tokenSecret, "tokenSecret");
        for (Duration d : new Duration[] {deviceLease, publishInterval, sweepInterval, sessionExpiry, tokenLifetime}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("presence durations must be positive");
            }
        }
    }

    @Override
    public String toString() {
        return "PresenceSettings[mqttUri=" + mqttUri + ", instance=" + instance + ", tokenSecret=***, deviceLease="
                + deviceLease + ", publishInterval=" + publishInterval + ", sweepInterval=" + sweepInterval
                + ", sessionExpiry=" + sessionExpiry + ", tokenLifetime=" + tokenLifetime + "]";
    }
}
