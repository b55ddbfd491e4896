package dev.parley.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.devstack.Ports;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The stack as `./parley up` starts it: every endpoint it prints answers. */
@Timeout(300)
class StackSmokeTest {

    @TempDir
    static Path workDir;

    private static ParleyUp up;
    private static Properties stack;

    @BeforeAll
    static void startStack() {
        up = ParleyUp.startAndAwaitReady(workDir.resolve("data"));
        stack = up.stack();
    }

    /** Ctrl-C stops the stack cleanly: the shell's exit code for it, no process left, every port free again. */
    @AfterAll
    static void stopStack() {
        if (up == null) {
            return;
        }
        try {
            // 130 = 128 + SIGINT: what a shell reports for a program stopped with Ctrl-C.
            assertThat(up.interrupt()).as("exit code after Ctrl-C:\n" + up.output()).isEqualTo(130);
            assertThat(ParleyUp.pids(stack)).hasSizeGreaterThan(1).allSatisfy(pid ->
                    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid " + pid)
                            .isNotEqualTo(Optional.of(true)));
            assertThat(ParleyUp.ports(stack)).hasSizeGreaterThanOrEqualTo(7).allSatisfy(port ->
                    assertThat(Ports.isFree("127.0.0.1", port)).as("port " + port + " free").isTrue());
        } finally {
            up.close();
        }
    }

    @Test
    void printsEveryEndpoint() {
        String output = up.output();
        for (String key : List.of("mqtt.tcp", "mqtt.websocket", "rest", "health.persistence-service",
                "health.broker", "health.presence-bridge", "health.push-service")) {
            assertThat(output).as(key).contains(stack.getProperty(key));
        }
    }

    @Test
    void mqttOverTcpRoundTrip() throws Exception {
        assertThat(MqttProbe.roundTrip(stack.getProperty("mqtt.tcp"), workDir.resolve("data"), registeredUser())).contains(MqttProbe.TEXT);
    }

    @Test
    void mqttOverWebSocketRoundTrip() throws Exception {
        assertThat(stack.getProperty("mqtt.websocket")).startsWith("ws://").endsWith("/mqtt");
        assertThat(MqttProbe.roundTrip(stack.getProperty("mqtt.websocket"), workDir.resolve("data"),
                registeredUser()))
                .contains(MqttProbe.TEXT);
    }

    /**
     * Each readiness names the dependencies the service really has, each UP: "contains UP" would also pass for
     * a readiness that checks nothing. The broker extension answers {@code {"status", "checks": [{"name",
     * "status"}]}} like Quarkus' SmallRye Health, so one parser reads all four.
     */
    @Test
    void everyServiceIsReadyWithItsDependencies() throws Exception {
        Map<String, Set<String>> expected = Map.of(
                "health.persistence-service", Set.of("cassandra", "redis"),
                "health.broker", Set.of("cassandra", "redis"),
                "health.presence-bridge", Set.of("cassandra", "redis", "broker"),
                "health.push-service", Set.of("cassandra", "redis"));
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<String, Set<String>> service : expected.entrySet()) {
            String key = service.getKey();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.getProperty(key)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(key + ": " + response.body()).isEqualTo(200);
            JsonNode body = json.readTree(response.body());
            assertThat(body.path("status").asText()).as(key + ": " + body).isEqualTo("UP");
            Map<String, String> checks = new TreeMap<>();
            body.path("checks").forEach(check -> checks.put(check.path("name").asText(), check.path("status").asText()));
            assertThat(checks.keySet()).as(key + ": " + body).containsExactlyInAnyOrderElementsOf(service.getValue());
            assertThat(checks.values()).as(key + ": " + body).containsOnly("UP");
        }
    }

    /** A user in the stack's store, as registration through persistence-service would leave one. */
    private static UUID registeredUser() {
        String[] cql = stack.getProperty("cassandra").split(":");
        try (CqlSession session = CassandraSessions.open(
                CassandraSettings.local(cql[0], Integer.parseInt(cql[1]), "parley"), "smoke-test")
                .toCompletableFuture().join()) {
            UserRecord user = new UserRecord(UUID.randomUUID(), "probe-peer-" + UUID.randomUUID(), "Probe Peer",
                    null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            new UserStore(session, "parley").insert(user).toCompletableFuture().join();
            return user.userId();
        }
    }

    @Test
    void storeWritesAndReadsARowInTheStacksCassandra() {
        String[] cql = stack.getProperty("cassandra").split(":");
        try (CqlSession session = CassandraSessions.open(
                CassandraSettings.local(cql[0], Integer.parseInt(cql[1]), "parley"), "smoke-test")
                .toCompletableFuture().join()) {
            UserStore users = new UserStore(session, "parley");
            UserRecord user = new UserRecord(UUID.randomUUID(), "smoke-" + UUID.randomUUID(), "Smoke Test",
                    null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            users.insert(user).toCompletableFuture().join();
            assertThat(users.find(user.userId()).toCompletableFuture().join()).contains(user);
        }
    }

    /**
     * The contract between persistence-service and the broker, end to end: groups made and changed over
     * REST take effect on MQTT at once, with real tokens from login.
     */
    @Test
    void groupChangedOverRestTakesEffectOnMqttAtOnce() throws Exception {
        RestClient rest = new RestClient(stack.getProperty("rest"));
        String mqtt = stack.getProperty("mqtt.tcp");
        RestClient.Account alice = rest.register("alice", "phone");
        RestClient.Account bob = rest.register("bob", "phone");
        RestClient.Account carol = rest.register("carol", "phone");
        try (Device alicePhone = Device.connect(mqtt, alice);
             Device bobPhone = Device.connect(mqtt, bob);
             Device carolPhone = Device.connect(mqtt, carol)) {
            RestClient.Response created = rest.send("POST", "/v1/groups", alice,
                    "{\"name\":\"Climbing\",\"members\":[\"" + bob.userId() + "\"]}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String group = created.body().get("id").asText();
            String topic = "groups/" + group + "/messages";
            await("the group's creation at bob").atMost(Duration.ofSeconds(30)).until(() -> bobPhone.messages().stream()
                    .anyMatch(m -> m.path("event").path("kind").asText().equals("created")));

            assertThat(alicePhone.publish(topic, "{\"clientMsgId\":\"g-1\",\"text\":\"first\"}")).isZero();
            await("g-1 at bob").atMost(Duration.ofSeconds(30)).until(() -> bobPhone.received("g-1"));
            assertThat(carolPhone.publish(topic, "{\"clientMsgId\":\"c-1\",\"text\":\"let me in\"}"))
                    .isEqualTo(0x87);

            RestClient.Response added = rest.send("POST", "/v1/groups/" + group + "/members", alice,
                    "{\"userId\":\"" + carol.userId() + "\"}");
            assertThat(added.status()).as(added.toString()).isEqualTo(201);
            RestClient.Response removed = rest.send("DELETE", "/v1/groups/" + group + "/members/" + bob.userId(), alice,
                    null);
            assertThat(removed.status()).as(removed.toString()).isEqualTo(204);

            assertThat(alicePhone.publish(topic, "{\"clientMsgId\":\"g-2\",\"text\":\"after the change\"}")).isZero();
            await("g-2 at carol").atMost(Duration.ofSeconds(30)).until(() -> carolPhone.received("g-2"));
            await("bob told he was removed").atMost(Duration.ofSeconds(30)).until(() -> bobPhone.events().stream()
                    .anyMatch(e -> e.path("change").path("kind").asText().equals("removed")));
            assertThat(bobPhone.received("g-2")).isFalse();
            assertThat(bobPhone.publish(topic, "{\"clientMsgId\":\"b-1\",\"text\":\"hello?\"}")).isEqualTo(0x87);
        }
    }
}
