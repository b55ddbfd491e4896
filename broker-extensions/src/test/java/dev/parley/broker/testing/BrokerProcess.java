package dev.parley.broker.testing;

import static org.awaitility.Awaitility.await;

import dev.parley.devstack.BrokerMain;
import dev.parley.devstack.ChildProcess;
import dev.parley.devstack.Folders;
import dev.parley.devstack.JavaRuntimes;
import dev.parley.devstack.Ports;
import dev.parley.protocol.ClientIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A broker node in its own JVM: stock HiveMQ CE loading the packaged extension folder (as an operator
 * runs it), so that a test can run several nodes at once and kill one with SIGKILL.
 */
public final class BrokerProcess implements AutoCloseable {

    public static final Path PACKAGED = Path.of(System.getProperty("parley.extension.folder", "target/parley-extension"));

    private final BrokerHome home;
    private final Map<String, String> properties;
    private final int healthPort;
    private ChildProcess process;

    private BrokerProcess(BrokerHome home, Map<String, String> properties, int healthPort) {
        this.home = home;
        this.properties = properties;
        this.healthPort = healthPort;
    }

    /**
     * @param overrides extension settings beyond the test stack's, e.g. {@code node.id}
     */
    public static BrokerProcess start(Path root, String keyspace, Map<String, String> overrides) {
        BrokerHome home = BrokerHome.create(root);
        int healthPort = Ports.free();
        Map<String, String> properties = TestStack.properties(keyspace, healthPort);
        properties.putAll(overrides);
        BrokerProcess broker = new BrokerProcess(home, properties, healthPort);
        broker.launch();
        return broker;
    }

    public String tcpUri() {
        return home.tcpUri();
    }

    public ChatDevice device(UUID user, String deviceId) throws MqttException {
        return ChatDevice.connect(home.tcpUri(), new ClientIdentity(user, deviceId));
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() {
        process.kill();
    }

    /** Starts the node again on the same folders and settings (same node id). */
    public void restart() {
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    private boolean ready() {
        try {
            return Http.get("http://127.0.0.1:" + healthPort + "/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void launch() {
        Path extension = home.extensions().resolve("parley-extension");
        try {
            Folders.copyFresh(PACKAGED, extension);
            Files.writeString(extension.resolve("conf/parley.properties"), properties.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ChildProcess.start("broker", List.of(JavaRuntimes.current(), "-Xmx384m",
                        "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(), home.root().toString()),
                home.root().resolve("log/process.log"), Map.of());
        await("broker node ready at " + home.tcpUri()).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("broker exited:\n" + process.logTail(40));
                    }
                    return Ports.accepts("127.0.0.1", home.mqttPort()) && ready();
                });
    }
}
