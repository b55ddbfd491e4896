package dev.parley.client;

import dev.parley.client.connection.Backoff;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a client connects and keeps its data.
 *
 * @param mqtt      the broker, e.g. {@code tcp://127.0.0.1:1883}
 * @param dataDir   this device's folder: outbox, messages, receipts (one folder per device and user)
 * @param keepAlive MQTT keep alive: how soon a silently dead network is noticed
 * @param backoff   delays between reconnect attempts
 * @param syncPage  envelopes per catch-up page (the broker allows 1 to 500)
 * @param refreshBefore how long before its expiry the access token is refreshed (when a refresher is given)
 * @param rest      persistence-service, for group rosters (a group message is "read" when every member read
 *                  it); null: my group messages stay at "sent"
 */
public record ClientConfig(URI mqtt, Path dataDir, Duration keepAlive, Backoff backoff, int syncPage,
                           Duration refreshBefore, URI rest) {

    public static ClientConfig of(URI mqtt, Path dataDir) {
        return new ClientConfig(mqtt, dataDir, Duration.ofSeconds(30), Backoff.DEFAULT, 200, Duration.ofMinutes(5), null);
    }

    public ClientConfig withBackoff(Backoff backoff) {
        return new ClientConfig(mqtt, dataDir, keepAlive, backoff, syncPage, refreshBefore, rest);
    }

    public ClientConfig withRefreshBefore(Duration refreshBefore) {
        return new ClientConfig(mqtt, dataDir, keepAlive, backoff, syncPage, refreshBefore, rest);
    }

    public ClientConfig withKeepAlive(Duration keepAlive) {
        return new ClientConfig(mqtt, dataDir, keepAlive, backoff, syncPage, refreshBefore, rest);
    }

    public ClientConfig withRest(URI rest) {
        return new ClientConfig(mqtt, dataDir, keepAlive, backoff, syncPage, refreshBefore, rest);
    }
}
