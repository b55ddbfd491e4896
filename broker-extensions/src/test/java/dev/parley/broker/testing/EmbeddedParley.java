package dev.parley.broker.testing;

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

    private EmbeddedParley(BrokerHome home, int healthPort, EmbeddedHiveMQ hivemq) {
        this.home = home;
        this.healthPort = healthPort;
        this.hivemq = hivemq;
    }

    /** @param keyspacePrefix names the test's keyspace, for whoever looks at the test Cassandra */
    public static EmbeddedParley start(Path root, String keyspacePrefix) throws Exception {
        BrokerHome home = BrokerHome.create(root);
        int healthPort = Ports.free();
        ParleyExtensionMain main = new ParleyExtensionMain(
                TestStack.config(TestStack.migratedKeyspace(keyspacePrefix), healthPort));
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
        return new EmbeddedParley(home, healthPort, hivemq);
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
        hivemq.stop().get(60, TimeUnit.SECONDS);
        hivemq.close();
    }
}
