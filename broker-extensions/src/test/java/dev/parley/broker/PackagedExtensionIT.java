package dev.parley.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.broker.config.ConfigReader;

import dev.parley.broker.testing.BrokerHome;
import dev.parley.broker.testing.Http;
import dev.parley.broker.testing.IsolatedHiveMQ;
import dev.parley.broker.testing.TestClient;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.Ports;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension as shipped: target/parley-extension/ (from {@code mvn package}) copied into a
 * broker's extensions folder, configured only through its conf/parley.properties, and loaded by
 * HiveMQ's own extension loader in a broker whose classpath has none of the extension's libraries.
 */
@Timeout(240)
class PackagedExtensionIT {

    private static final Path PACKAGED = Path.of(System.getProperty("parley.extension.folder", "target/parley-extension"));
    private static final Path RUNTIME_CLASSPATH = Path.of(
            System.getProperty("parley.extension.runtime-classpath", "target/extension-runtime.classpath"));
    private static final Path MODULE_TARGET = PACKAGED.toAbsolutePath().getParent();
    private static final Duration BROKER_START = Duration.ofSeconds(90);

    private static String keyspace;

    @BeforeAll
    static void migrate() {
        assertThat(PACKAGED.resolve("hivemq-extension.xml")).as("run `mvn package` first").exists();
        keyspace = TestStack.migratedKeyspace("packaged");
    }

    @Test
    void theBrokersClasspathHasNoneOfTheExtensionsLibraries() throws Exception {
        try (var loader = IsolatedHiveMQ.brokerClassLoader(RUNTIME_CLASSPATH, MODULE_TARGET)) {
            assertThat(loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ")).isNotNull();
            for (String absent : new String[] {"dev.parley.broker.ParleyExtensionMain", "dev.parley.store.SchemaMigrator",
                    "io.lettuce.core.RedisClient", "com.datastax.oss.driver.api.core.CqlSession",
                    "reactor.core.publisher.Mono", "com.typesafe.config.Config",
                    "dev.parley.protocol.tokens.AccessTokens", "com.auth0.jwt.JWT"}) {
                assertThatThrownBy(() -> loader.loadClass(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
            }
        }
    }

    @Test
    void thePackagedExtensionStartsAndIsReady(@TempDir Path root) throws Exception {
        BrokerHome home = BrokerHome.create(root);
        int healthPort = Ports.free();
        Path extension = install(home, TestStack.properties(keyspace, healthPort));

        try (IsolatedHiveMQ ignored = IsolatedHiveMQ.start(home, RUNTIME_CLASSPATH, MODULE_TARGET, BROKER_START)) {
            HttpResponse<String> ready = Http.get("http://127.0.0.1:" + healthPort + "/health/ready");

            assertThat(ready.statusCode()).as(log(home)).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":[{\"name\":\"cassandra\",\"status\":\"UP\"},"
                    + "{\"name\":\"redis\",\"status\":\"UP\"}]}");
            assertThat(extension.resolve("DISABLED")).doesNotExist();
            assertThat(log(home)).contains("Parley extension started")
                    .contains("Extension \"Parley\" version " + version() + " started successfully.");
        }
        assertThat(Ports.isFree("127.0.0.1", healthPort)).as("health endpoint closed by extensionStop").isTrue();
    }

    /**
     * As an operator sets it up: the token secret in a file next to parley.properties, named relative to
     * the extension folder. A device with a token signed with it connects; any other token is refused.
     * (Also proves java-jwt and Jackson are in the shaded jar.)
     */
    @Test
    void thePackagedExtensionAuthenticatesDevicesWithTheSecretFromItsFile(@TempDir Path root) throws Exception {
        BrokerHome home = BrokerHome.create(root);
        Map<String, String> properties = TestStack.properties(keyspace, 0);
        properties.remove(ConfigReader.AUTH_TOKEN_SECRET);
        properties.put(ConfigReader.AUTH_TOKEN_SECRET_FILE, "conf/token-secret");
        Path extension = install(home, properties);
        Files.writeString(extension.resolve("conf/token-secret"), TestStack.TOKEN_SECRET + "\n");
        Files.setPosixFilePermissions(extension.resolve("conf/token-secret"), PosixFilePermissions.fromString("rw-------"));
        ClientIdentity phone = TestClient.newDevice("phone");
        String forged = new AccessTokens("a-secret-that-is-not-in-the-file-0123456789", Clock.systemUTC())
                .issue(phone, Duration.ofHours(1));

        try (IsolatedHiveMQ ignored = IsolatedHiveMQ.start(home, RUNTIME_CLASSPATH, MODULE_TARGET, BROKER_START)) {
            try (TestClient client = TestClient.connect(home.tcpUri(), phone)) {
                assertThat(client.subscribe("users/" + phone.userId() + "/messages").getReasonCodes()).containsExactly(1);
            }
            assertThatThrownBy(() -> TestClient.connect(home.tcpUri(), phone.clientId(),
                    TestClient.options(phone.userId().toString(), forged.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
            assertThat(log(home)).contains("access tokens checked with the secret from auth.token-secret-file "
                    + extension.resolve("conf/token-secret").toAbsolutePath().normalize());
        }
    }

    /**
     * What an operator sees when a dependency is missing: HiveMQ runs on without the extension, logs
     * Parley's reason, and marks the folder DISABLED (it stays so across restarts until removed).
     */
    @Test
    void unreachableCassandraPreventsTheStartAndDisablesTheFolder(@TempDir Path root) throws Exception {
        BrokerHome home = BrokerHome.create(root);
        int closed = Ports.free();
        int healthPort = Ports.free();
        Map<String, String> properties = TestStack.properties(keyspace, healthPort);
        properties.put("cassandra.contact-points", "127.0.0.1:" + closed);
        Path extension = install(home, properties);

        try (IsolatedHiveMQ ignored = IsolatedHiveMQ.start(home, RUNTIME_CLASSPATH, MODULE_TARGET, BROKER_START)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(extension.resolve("DISABLED")).exists());
            String reason = "Cassandra at 127.0.0.1:" + closed + " is unreachable";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log(home))
                    .contains("ERROR dev.parley.broker.ParleyExtensionMain - Parley extension cannot start: " + reason)
                    .contains("Startup of extension with id \"parley-extension\" was prevented by the extension itself, "
                            + "reason: " + reason));
            assertThat(Ports.isFree("127.0.0.1", healthPort)).isTrue();
        }
    }

    /** Copies the packaged folder into the broker and writes its parley.properties, as an operator would. */
    private static Path install(BrokerHome home, Map<String, String> properties) throws IOException {
        Path extension = home.extensions().resolve("parley-extension");
        try (Stream<Path> files = Files.walk(PACKAGED)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = extension.resolve(PACKAGED.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        String file = properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(extension.resolve("conf/parley.properties"), file);
        return extension;
    }

    private static String log(BrokerHome home) {
        try {
            return Files.exists(home.logFile()) ? Files.readString(home.logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version() throws IOException {
        String xml = Files.readString(PACKAGED.resolve("hivemq-extension.xml"));
        return xml.replaceAll("(?s).*<version>([^<]+)</version>.*", "$1");
    }
}
