package dev.parley.broker.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.Buckets;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.common.MqttException;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.parley.broker.ParleyExtensionMain;
import dev.parley.devstack.Ports;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real HiveMQ with the extension embedded (constructed with its configuration, as the dev launcher
 * does), on a fresh migrated keyspace of the test Cassandra. Start one per test class: starting takes
 * ~2 s, stopping ~4 s.
 */
public final class EmbeddedParley implements AutoCloseable {

    private final BrokerHome home;
    private final int healthPort;
    private final EmbeddedHiveMQ hivemq;
    private final String keyspace;
    private final CqlSession session;
    private final UserStore users;
    private boolean ownsKeyspace;

    private EmbeddedParley(BrokerHome home, int healthPort, EmbeddedHiveMQ hivemq, String keyspace) {
        this.home = home;
        this.healthPort = healthPort;
        this.hivemq = hivemq;
        this.keyspace = keyspace;
        this.session = TestStack.session(keyspace);
        this.users = new UserStore(session, keyspace);
    }

    /** @param keyspacePrefix names the test's keyspace, for whoever looks at the test Cassandra */
    public static EmbeddedParley start(Path root, String keyspacePrefix) throws Exception {
        EmbeddedParley parley = start(root, TestStack.migratedKeyspace(keyspacePrefix), Map.of());
        parley.ownsKeyspace = true;
        return parley;
    }

    /**
     * A node on an existing keyspace, e.g. a second node of the same deployment, with some
     * configuration keys changed (e.g. {@code node.id}).
     */
    public static EmbeddedParley start(Path root, String keyspace, Map<String, String> overrides) throws Exception {
        BrokerHome home = BrokerHome.create(root);
        int healthPort = Ports.free();
        ParleyExtensionMain main = new ParleyExtensionMain(TestStack.config(keyspace, healthPort, overrides));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.conf())
                .withDataFolder(home.data())
                .withExtensionsFolder(home.extensions())
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("parley-extension")
                        .withName("Parley")
                        .withVersion("test")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(main)
                        .build())
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
        return new EmbeddedParley(home, healthPort, hivemq, keyspace);
    }

    public String keyspace() {
        return keyspace;
    }

    /** A registered user, as persistence-service would create one. */
    public UUID newUser(String handle) {
        UUID id = UUID.randomUUID();
        users.insert(new UserRecord(id, handle + "-" + id.toString().substring(0, 8), handle, null, null, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS))).toCompletableFuture().join();
        return id;
    }

    /** A device of a registered user over TCP, subscribed to the user's topics. */
    public ChatDevice device(UUID user, String deviceId) throws MqttException {
        return ChatDevice.connect(home.tcpUri(), new ClientIdentity(user, deviceId));
    }

    /** A device that keeps its session (clean start false) for {@code sessionExpiry} after it disconnects. */
    public ChatDevice persistentDevice(UUID user, String deviceId, java.time.Duration sessionExpiry) throws MqttException {
        return ChatDevice.connectPersistent(home.tcpUri(), new ClientIdentity(user, deviceId), sessionExpiry);
    }

    /** The same over MQTT-over-WebSocket, as a browser connects. */
    public ChatDevice webDevice(UUID user, String deviceId) throws MqttException {
        return ChatDevice.connect(home.websocketUri(), new ClientIdentity(user, deviceId));
    }

    /** The test's own session to the store (not the broker's). */
    public CqlSession session() {
        return session;
    }

    /** Every seq stored in a conversation, in order, read bucket by bucket from Cassandra. */
    public List<Long> storedSeqs(ConversationId conversation) {
        List<Long> seqs = new ArrayList<>();
        for (long bucket = 0; ; bucket++) {
            List<Row> rows = session.execute("SELECT seq FROM " + keyspace + ".messages WHERE conversation_id = ? "
                    + "AND bucket = ?", conversation.value(), bucket).all();
            rows.forEach(r -> seqs.add(r.getLong("seq")));
            if (rows.isEmpty() || seqs.get(seqs.size() - 1) < Buckets.lastSeqOf(bucket)) {
                return seqs;
            }
        }
    }

    public BrokerHome home() {
        return home;
    }

    public String tcpUri() {
        return home.tcpUri();
    }

    public int healthPort() {
        return healthPort;
    }

    @Override
    public void close() throws Exception {
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } finally {
            if (ownsKeyspace) {
                TestStack.dropKeyspace(session, keyspace);
            }
            session.close();
        }
    }
}
