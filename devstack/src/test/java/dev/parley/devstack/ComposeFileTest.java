package dev.parley.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml cannot be run here (no Docker engine), so what breaks it silently is checked against the
 * code instead: a variable that names no key is ignored by Quarkus, a setting left at its default points at
 * 127.0.0.1 (the container itself), and a start order that ignores readiness starts the broker on an
 * unmigrated keyspace.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** {@code key=value}, or a documented key commented out ({@code #key=}); never a profile ({@code %test.}). */
    private static final Pattern KEY = Pattern.compile("^#?([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)=(.*)$");
    private static final String TOKEN_SECRET = "parley-token-secret";
    /** The services that verify the schema persistence-service migrates: they must start after it is healthy. */
    private static final List<String> SCHEMA_USERS = List.of("broker", "presence-bridge", "push-service");

    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        services = new YAMLMapper().readTree(ROOT.resolve("docker/compose.yaml").toFile()).path("services");
        assertThat(services.size()).isGreaterThan(0);
    }

    @Test
    void everyVariableOfAServiceNamesAKeyOfItsApplicationProperties() throws IOException {
        for (Map.Entry<String, JsonNode> service : quarkusServices().entrySet()) {
            Set<String> known = new TreeSet<>();
            properties(service.getKey(), true).keySet().forEach(key -> known.add(envName(key)));
            assertThat(environment(service.getValue()).keySet())
                    .as(service.getKey() + ": variables that name no key of " + service.getKey()
                            + "/src/main/resources/application.properties")
                    .isSubsetOf(known);
        }
    }

    @Test
    void everySettingThatDefaultsToThisMachineIsSetForTheContainer() throws IOException {
        for (Map.Entry<String, JsonNode> service : quarkusServices().entrySet()) {
            Set<String> local = new TreeSet<>();
            properties(service.getKey(), false).forEach((key, value) -> {
                if (value.contains("127.0.0.1") || value.contains("localhost")) {
                    local.add(envName(key));
                }
            });
            assertThat(local).as(service.getKey() + ": keys whose default is this machine").isNotEmpty();
            assertThat(environment(service.getValue()).keySet()).as(service.getKey()).containsAll(local);
        }
    }

    @Test
    void aServiceGivenTheTokenSecretIsToldWhereItIs() {
        quarkusServices().forEach((name, service) -> {
            if (texts(service.path("secrets")).contains(TOKEN_SECRET)) {
                assertThat(environment(service)).as(name)
                        .hasEntrySatisfying(envName(name.equals("persistence-service")
                                ? "parley.auth.token-secret-file" : "parley.presence.token-secret-file"),
                                file -> assertThat(file).isEqualTo("/run/secrets/" + TOKEN_SECRET));
            }
        });
    }

    @Test
    void theSchemaIsMigratedBeforeTheServicesThatVerifyItStart() {
        assertThat(texts(services.path("persistence-service").path("healthcheck").path("test")))
                .contains("/q/health/ready");
        for (String name : SCHEMA_USERS) {
            assertThat(services.path(name).path("depends_on").path("persistence-service").path("condition").asText())
                    .as(name + " waits for persistence-service to be healthy").isEqualTo("service_healthy");
        }
    }

    @Test
    void everyServiceHasAReadinessHealthcheckOnItsOwnPortAndARestartPolicy() throws IOException {
        for (Map.Entry<String, JsonNode> service : quarkusServices().entrySet()) {
            String port = environment(service.getValue()).getOrDefault("QUARKUS_HTTP_PORT",
                    properties(service.getKey(), false).get("quarkus.http.port"));
            assertThat(texts(service.getValue().path("healthcheck").path("test"))).as(service.getKey())
                    .contains("/opt/parley/healthcheck.sh", port, "/q/health/ready");
        }
        String healthPort = brokerProperties().get("health.port");
        assertThat(texts(services.path("broker").path("healthcheck").path("test")))
                .contains("/opt/parley/healthcheck.sh", healthPort, "/health/ready");
        assertThat(texts(services.path("broker").path("ports"))).as("the broker's readiness is published")
                .contains(healthPort + ":" + healthPort);
        services.fields().forEachRemaining(service -> assertThat(service.getValue().path("restart").asText())
                .as(service.getKey()).isIn("unless-stopped", "always", "on-failure"));
        for (String dockerfile : List.of("docker/service/Dockerfile", "docker/broker/Dockerfile")) {
            assertThat(Files.readString(ROOT.resolve(dockerfile))).as(dockerfile)
                    .contains("COPY docker/healthcheck.sh /opt/parley/healthcheck.sh");
        }
    }

    @Test
    void theBrokerSettingsAreDocumentedKeysAndPointAtTheContainers() throws IOException {
        Map<String, String> documented = read(ROOT.resolve("broker-extensions/src/hivemq-extension/conf/parley.properties"),
                true);
        Map<String, String> docker = brokerProperties();
        assertThat(documented.keySet()).as("keys the extension documents").contains("cassandra.contact-points");
        assertThat(docker.keySet()).isSubsetOf(documented.keySet());
        documented.forEach((key, value) -> {
            if (value.contains("127.0.0.1")) {
                assertThat(docker).as(key + " defaults to this machine").containsKey(key);
                assertThat(docker.get(key)).as(key).doesNotContain("127.0.0.1");
            }
        });
    }

    @Test
    void whatTheDockerfilesCopyFromTargetIsKeptInTheBuildContext() throws IOException {
        List<String> kept = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(line -> line.startsWith("!")).map(line -> line.substring(1)).toList();
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains("**/target", ".parley");
        for (String module : List.of("persistence-service", "presence-bridge", "push-service")) {
            assertThat(kept).contains(module + "/target/quarkus-app");
        }
        assertThat(Files.readString(ROOT.resolve("docker/broker/Dockerfile")))
                .contains("COPY broker-extensions/target/parley-extension ");
        assertThat(kept).contains("broker-extensions/target/parley-extension");
    }

    /** The services built from a module with docker/service/Dockerfile, by module name. */
    private static Map<String, JsonNode> quarkusServices() {
        Map<String, JsonNode> built = new LinkedHashMap<>();
        services.fields().forEachRemaining(service -> {
            JsonNode build = service.getValue().path("build");
            if (build.path("dockerfile").asText().equals("docker/service/Dockerfile")) {
                assertThat(build.path("args").path("SERVICE").asText()).as(service.getKey()).isEqualTo(service.getKey());
                built.put(service.getKey(), service.getValue());
            }
        });
        assertThat(built).containsOnlyKeys("persistence-service", "presence-bridge", "push-service");
        return built;
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> variables = new LinkedHashMap<>();
        service.path("environment").fields().forEachRemaining(v -> variables.put(v.getKey(), v.getValue().asText()));
        return variables;
    }

    /** How SmallRye Config names a key in the environment: every other character an underscore, upper case. */
    private static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> properties(String module, boolean withDocumented) throws IOException {
        return read(ROOT.resolve(module).resolve("src/main/resources/application.properties"), withDocumented);
    }

    private static Map<String, String> brokerProperties() throws IOException {
        return read(ROOT.resolve("docker/broker/parley.properties"), false);
    }

    /** Keys and values; with {@code withDocumented} also the keys documented commented out (their example value). */
    private static Map<String, String> read(Path file, boolean withDocumented) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher key = KEY.matcher(line.strip());
            if (key.matches() && (withDocumented || !line.startsWith("#"))) {
                keys.put(key.group(1), key.group(2).strip());
            }
        }
        return keys;
    }

    private static List<String> texts(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
    }
}
