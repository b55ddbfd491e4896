package dev.parley.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigReaderTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

    /** Every configuration needs a token secret; the tests of other keys give this one. */
    private static ConfigReader.Result parse(Map<String, String> values) {
        Map<String, String> withSecret = new HashMap<>(values);
        withSecret.putIfAbsent(ConfigReader.AUTH_TOKEN_SECRET, SECRET);
        return ConfigReader.parse(withSecret);
    }

    @Test
    void noKeysMeansTheLocalDevStackDefaults() {
        ConfigReader.Result result = parse(Map.of());

        ExtensionConfig config = result.config();
        assertThat(config.cassandra().contactPoints()).containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 9042));
        assertThat(config.cassandra().localDatacenter()).isEqualTo("datacenter1");
        assertThat(config.cassandra().keyspace()).isEqualTo("parley");
        assertThat(config.cassandra().consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(config.cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.redis().uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.redis().commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.health()).isEqualTo(new HealthSettings("127.0.0.1", 8090));
        assertThat(config.auth().tokenSecret()).isEqualTo(SECRET);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void everyKeyIsRead() {
        ConfigReader.Result result = parse(Map.of(
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
        assertThatThrownBy(() -> parse(Map.of("cassandra.contact-points", "127.0.0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.contact-points '127.0.0.1'")
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> parse(Map.of("cassandra.contact-points", "db:nine")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no numeric port");
        assertThatThrownBy(() -> parse(Map.of("cassandra.contact-points", ",,")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("names no endpoint");
        assertThatThrownBy(() -> parse(Map.of("cassandra.contact-points", "db:70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.contact-points");
    }

    @Test
    void anInvalidKeyspaceIsFatal() {
        assertThatThrownBy(() -> parse(Map.of("cassandra.keyspace", "Parley-Prod")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cassandra.keyspace: keyspace 'Parley-Prod' is not a valid Cassandra keyspace name");
    }

    @Test
    void anUnknownOrSerialConsistencyIsFatalNotDefaulted() {
        assertThatThrownBy(() -> parse(Map.of("cassandra.consistency", "QUORM")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.consistency 'QUORM'")
                .hasMessageContaining("LOCAL_QUORUM");
        assertThatThrownBy(() -> parse(Map.of("cassandra.consistency", "LOCAL_SERIAL")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> parse(Map.of("cassandra.consistency", "ANY")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aSingleReplicaConsistencyIsAcceptedWithAWarning() {
        ConfigReader.Result result = parse(Map.of("cassandra.consistency", "LOCAL_ONE"));

        assertThat(result.config().cassandra().consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_ONE);
        assertThat(result.warnings()).singleElement().asString().contains("one replica only");
    }

    @Test
    void anUnparseableRedisUriIsFatalAndHidesThePassword() {
        assertThatThrownBy(() -> parse(Map.of("redis.uri", "http://user:hunter2@cache:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.uri 'http://***@cache:6379' is not understood")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void badNonFatalValuesFallBackToTheirDefaultWithAWarningEach() {
        ConfigReader.Result result = parse(Map.of(
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
        ConfigReader.Result result = parse(Map.of("cassandra.request-timeout-ms", "0"));

        assertThat(result.config().cassandra().requestTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(result.warnings()).hasSize(1);
    }

    @Test
    void anUnknownKeyIsReportedAsALikelyTypo() {
        ConfigReader.Result result = parse(Map.of("cassandra.keyspcae", "chat"));

        assertThat(result.config().cassandra().keyspace()).isEqualTo("parley");
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("unknown key 'cassandra.keyspcae' in conf/parley.properties is ignored")
                .contains("cassandra.keyspace");
    }

    @Test
    void readsTheFileBelowTheExtensionFolderAndTheSecretFileRelativeToIt(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/parley.properties"), """
                # comments are fine
                cassandra.keyspace = chat
                health.port=18090
                auth.token-secret-file = conf/token-secret
                """);
        writeSecretFile(home.resolve("conf/token-secret"), "  " + SECRET + "\n");

        ConfigReader.Result result = ConfigReader.read(home);

        assertThat(result.config().cassandra().keyspace()).isEqualTo("chat");
        assertThat(result.config().health().port()).isEqualTo(18090);
        assertThat(result.config().auth().tokenSecret()).as("surrounding whitespace stripped").isEqualTo(SECRET);
        assertThat(result.config().auth().source()).endsWith("conf/token-secret");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void aMissingFileIsFatalSinceTheSecretHasNoDefault(@TempDir Path home) {
        assertThatThrownBy(() -> ConfigReader.read(home))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("parley.properties does not exist")
                .hasMessageContaining("set auth.token-secret-file");
    }

    @Test
    void noSecretIsFatalAndSaysHowToMakeOneAndWhoElseNeedsIt() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("no access token secret: set auth.token-secret-file (a file holding the"
                        + " secret, relative to the extension folder) or auth.token-secret in conf/parley.properties")
                .hasMessageContaining("`openssl rand -base64 48 > token-secret`")
                .hasMessageContaining("give persistence-service the same secret (parley.auth.token-secret-file)");
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("auth.token-secret", "   ")))
                .hasMessageStartingWith("no access token secret");
    }

    @Test
    void aShortSecretIsFatal() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("auth.token-secret", "0123456789abcdef0123456789abcde")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.token-secret holds a secret of 31 bytes; at least 32 are needed")
                .hasMessageContaining("openssl rand -base64 48")
                .hasMessageNotContaining("0123456789abcdef");
    }

    @Test
    void bothSecretKeysAreFatal() {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("auth.token-secret", SECRET,
                "auth.token-secret-file", "conf/token-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.token-secret and auth.token-secret-file are both set: keep one");
    }

    @Test
    void anUnreadableSecretFileIsFatalAndNamesThePath(@TempDir Path home) {
        assertThatThrownBy(() -> ConfigReader.parse(Map.of("auth.token-secret-file", "missing-secret"), home))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.token-secret-file 'missing-secret' cannot be read ("
                        + home.resolve("missing-secret").toAbsolutePath())
                .hasMessageContaining("openssl rand -base64 48 >");
    }

    @Test
    void aShortSecretFileIsFatal(@TempDir Path home) throws IOException {
        writeSecretFile(home.resolve("secret"), "short\n");

        assertThatThrownBy(() -> ConfigReader.parse(Map.of("auth.token-secret-file", "secret"), home))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.token-secret-file " + home.resolve("secret").toAbsolutePath()
                        + " holds a secret of 5 bytes; at least 32 are needed");
    }

    @Test
    void aSecretFileEveryoneCanReadIsAWarning(@TempDir Path home) throws IOException {
        Path file = home.resolve("secret");
        Files.writeString(file, SECRET);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        ConfigReader.Result result = ConfigReader.parse(Map.of("auth.token-secret-file", file.toString()));

        assertThat(result.config().auth().tokenSecret()).isEqualTo(SECRET);
        assertThat(result.warnings()).singleElement().asString().contains("is readable by every user").contains("chmod 600");
    }

    @Test
    void theSecretNeverAppearsInTheConfigurationsText() {
        ExtensionConfig config = parse(Map.of()).config();

        assertThat(config.toString()).doesNotContain(SECRET).contains("tokenSecret=***");
    }

    private static void writeSecretFile(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** The file in the extension zip documents every key the reader knows, with the reader's default. */
    @Test
    void theShippedFileListsEveryKeyWithItsDefault() throws IOException {
        Path shipped = Path.of("src/hivemq-extension/conf/parley.properties");
        List<String> lines = Files.readAllLines(shipped);
        for (Map.Entry<String, String> key : ConfigReader.DEFAULTS.entrySet()) {
            assertThat(lines).as("shipped line for " + key.getKey()).contains("#" + key.getKey() + "=" + key.getValue());
        }
        // ... and, as shipped, every key is commented out (the operator must still set the token secret).
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(shipped)) {
            properties.load(reader);
        }
        assertThat(properties).isEmpty();
    }
}
