package dev.parley.benchmark.stack;

import dev.parley.devstack.Ports;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The baseline: HiveMQ CE 2025.5 with no extension at all. Without a security extension the embedded
 * broker allows every client, so devices connect with the same client ids and passwords of the same
 * form as on Parley (an access token, which plain HiveMQ ignores: the CONNECT packets, and whatever a
 * broker keeps of them per connection, are the same size on both), and a message is a plain publish to
 * the recipient's topic.
 */
public final class PlainHiveMQ implements Target {

    private final BrokerJvm broker;
    /** Signs tokens nobody checks, with a secret of its own: only their form matters. */
    private final AccessTokens tokens = new AccessTokens(UUID.randomUUID() + "-" + UUID.randomUUID(), Clock.systemUTC());

    private PlainHiveMQ(BrokerJvm broker) {
        this.broker = broker;
    }

    public static PlainHiveMQ start(Path workDir, Pinning pinning) {
        int mqttPort = Ports.free();
        Path home = BrokerJvm.prepareHome(workDir.resolve("plain-broker"), mqttPort);
        return new PlainHiveMQ(BrokerJvm.start("plain-broker", home, mqttPort, null, pinning));
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public String host() {
        return BrokerJvm.HOST;
    }

    @Override
    public int mqttPort() {
        return broker.mqttPort();
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public String password(ClientIdentity device) {
        return tokens.issue(device, Duration.ofHours(2));
    }

    @Override
    public void createUsers(List<UUID> users) {
        // a plain broker has no notion of users
    }

    @Override
    public List<UUID> createGroups(List<List<UUID>> rosters) {
        return rosters.stream().map(roster -> UUID.randomUUID()).toList(); // a group is just a topic here
    }

    @Override
    public Map<String, Long> processes() {
        return Map.of("broker", broker.pid());
    }

    @Override
    public long brokerPid() {
        return broker.pid();
    }

    @Override
    public void close() {
        broker.stop();
    }
}
