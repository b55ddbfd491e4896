package dev.parley.presence.testing;

import dev.parley.devstack.Ports;
import dev.parley.devstack.testing.TestDependencies;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The application under test with the bridge switched on (the test profile has it off), on the test Redis, a
 * migrated keyspace of the test Cassandra and a broker chosen by the init argument {@code broker}:
 * {@code running} starts a real one ({@link BrokerNode}); {@code closed-port} points the bridge at a port
 * nothing listens on.
 */
public final class BridgeTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUNNING = "running";
    public static final String CLOSED_PORT = "closed-port";
    private static final String SECRET = "bridge-readiness-test-token-secret-0123456789";

    private String broker = RUNNING;
    private Path root;
    private TestSchema schema;
    private BrokerNode node;

    @Override
    public void init(Map<String, String> initArgs) {
        broker = initArgs.getOrDefault("broker", RUNNING);
    }

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("bridge-readiness");
            Path secretFile = Files.writeString(root.resolve("token-secret"), SECRET);
            schema = TestSchema.create("bridge_ready");
            String mqttUri;
            if (RUNNING.equals(broker)) {
                node = BrokerNode.start(root.resolve("broker"), schema.keyspace, SECRET);
                mqttUri = node.tcpUri();
            } else {
                mqttUri = "tcp://127.0.0.1:" + Ports.free();
            }
            Map<String, String> config = new HashMap<>();
            config.put("parley.redis.uri", "redis://" + TestDependencies.redis());
            config.put("parley.cassandra.contact-points", TestDependencies.cassandra().toString());
            config.put("parley.cassandra.keyspace", schema.keyspace);
            // Both spellings: application.properties switches the bridge off for the test profile.
            config.put("parley.presence.enabled", "true");
            config.put("%test.parley.presence.enabled", "true");
            config.put("parley.presence.mqtt-uri", mqttUri);
            config.put("parley.presence.token-secret-file", secretFile.toString());
            config.put("parley.presence.instance", "ready-" + UUID.randomUUID().toString().substring(0, 8));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (node != null) {
            node.close();
        }
        if (schema != null) {
            schema.close();
        }
    }
}
