package dev.parley.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigReaderTest {

    @Test
    void noKeysMeansTheLocalDevStackDefaults() {
        ConfigReader.Result result = ConfigReader.parse(Map.of());

        ExtensionConfig config = result.config();
        assertThat(config.cassandra().contactPoints()).containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 9042));
        assertThat(config.cassandra().localDatacenter()).isEqualTo("datacenter1");
        assertThat(config.cassandra().keyspace()).isEqualTo("parley");
        assertThat(config.cassandra().consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(config.cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.redis().uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.redis().commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.health()).isEqualTo(new HealthSettings("127.0.0.1", 8090));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void everyKeyIsRead() {
        ConfigReader.Result result = ConfigReader.parse(Map.of(
                "cassandra.contact-points", " 10.0.0.1:9042 , cass-2:19042 ",
                "cassandra.local-datacenter", "eu-west",
                "cassandra.keyspace", "chat_prod",
                "cassandra.consistency", "each_quorum",
                "cassandra.request-timeout-ms", "2500",
                "redis.uri", "redis://:secret@redis-1:6380/2?timeout=750ms",
                "health.bind", "0.0.0.0",
                "health.port", "0"));

        ExtensionConfig config = result.config();
        assertThat(config.cassandra().contactPoints()).containsExactly(
                InetSocketAddress.createUnresolved("10.0.0.1", 9042), InetSocketAddress.createUnresolved("cass-2", 19042));
        assertThat(config.cassandra().localDatacenter()).isEqualTo("eu-west");
        assertThat(config.cassandra().keyspace()).isEqualTo("chat_prod");
        assertThat(config.cassandra().consistency()).isEqualTo(DefaultConsistencyLevel.EACH_QUORUM);
        assertThat(config.cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.redis().commandTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.redis().address()).isEqualTo("redis-1:6380");
        assertThat(config.redis().toRedisUri().getDatabase()).isEqualTo(2);
        assertThat(config.health().enabled()).isFalse();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void unparseableContactPointsAreFatalAndSayHowToWriteThem() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.contact-points", "127.0.0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.contact-points '127.0.0.1'")
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.contact-points", "db:nine")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no numeric port");
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.contact-points", ",,")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("names no endpoint");
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.contact-points", "db:70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.contact-points");
    }

    @Test
    void anInvalidKeyspaceIsFatal() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.keyspace", "Parley-Prod")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cassandra.keyspace: keyspace 'Parley-Prod' is not a valid Cassandra keyspace name");
    }

    @Test
    void anUnknownOrSerialConsistencyIsFatalNotDefaulted() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.consistency", "QUORM")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.consistency 'QUORM'")
                .hasMessageContaining("LOCAL_QUORUM");
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.consistency", "LOCAL_SERIAL")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("cassandra.consistency", "ANY")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aSingleReplicaConsistencyIsAcceptedWithAWarning() {
        ConfigReader.Result result = ConfigReader.parse(Map.of("cassandra.consistency", "LOCAL_ONE"));

        assertThat(result.config().cassandra().consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_ONE);
        assertThat(result.warnings()).singleElement().asString().contains("one replica only");
    }

    @Test
    void anUnparseableRedisUriIsFatalAndHidesThePassword() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("redis.uri", "http://user:hunter2@cache:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.uri 'http://***@cache:6379' is not understood")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void badNonFatalValuesFallBackToTheirDefaultWithAWarningEach() {
        ConfigReader.Result result = ConfigReader.parse(Map.of(
                "cassandra.request-timeout-ms", "5s",
                "health.port", "99999",
                "health.bind", "  ",
                "cassandra.local-datacenter", ""));

        assertThat(result.config().cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(result.config().health()).isEqualTo(new HealthSettings("127.0.0.1", 8090));
        assertThat(result.config().cassandra().localDatacenter()).isEqualTo("datacenter1");
        assertThat(result.warnings()).containsExactlyInAnyOrder(
                "cassandra.request-timeout-ms '5s' is not a whole number from 1 to 2147483647: using the default 5000",
                "health.port '99999' is not a whole number from 0 to 65535: using the default 8090",
                "health.bind is empty: using the default 127.0.0.1",
                "cassandra.local-datacenter is empty: using the default datacenter1");
    }

    @Test
    void aZeroOrNegativeRequestTimeoutIsReplacedByTheDefault() {
        ConfigReader.Result result = ConfigReader.parse(Map.of("cassandra.request-timeout-ms", "0"));

        assertThat(result.config().cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(result.warnings()).hasSize(1);
    }

    @Test
    void anUnknownKeyIsReportedAsALikelyTypo() {
        ConfigReader.Result result = ConfigReader.parse(Map.of("cassandra.keyspcae", "chat"));

        assertThat(result.config().cassandra().keyspace()).isEqualTo("parley");
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("unknown key 'cassandra.keyspcae' in conf/parley.properties is ignored")
                .contains("cassandra.keyspace");
    }

    @Test
    void readsTheFileBelowTheExtensionFolder(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/parley.properties"), """
                # comments are fine
                cassandra.keyspace = chat
                health.port=18090
                """);

        ConfigReader.Result result = ConfigReader.read(home);

        assertThat(result.config().cassandra().keyspace()).isEqualTo("chat");
        assertThat(result.config().health().port()).isEqualTo(18090);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void aMissingFileMeansDefaultsWithAWarning(@TempDir Path home) {
        ConfigReader.Result result = ConfigReader.read(home);

        assertThat(result.config()).isEqualTo(ConfigReader.defaults());
        assertThat(result.warnings()).singleElement().asString().contains("parley.properties does not exist");
    }

    /** The file in the extension zip documents every key the reader knows, with the reader's default. */
    @Test
    void theShippedFileListsEveryKeyWithItsDefault() throws IOException {
        Path shipped = Path.of("src/hivemq-extension/conf/parley.properties");
        List<String> lines = Files.readAllLines(shipped);
        for (Map.Entry<String, String> key : ConfigReader.DEFAULTS.entrySet()) {
            assertThat(lines).as("shipped line for " + key.getKey()).contains("#" + key.getKey() + "=" + key.getValue());
        }
        // ... and, as shipped (every key commented out), it parses to the defaults without a warning.
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(shipped)) {
            properties.load(reader);
        }
        assertThat(properties).isEmpty();
    }
}
