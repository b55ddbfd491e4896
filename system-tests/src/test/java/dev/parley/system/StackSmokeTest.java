package dev.parley.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
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
import java.util.Properties;
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

    @AfterAll
    static void stopStack() {
        if (up != null) {
            up.interrupt();
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

    @Test
    void everyServiceIsReadyWithItsDependencies() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String key : List.of("health.persistence-service", "health.broker", "health.presence-bridge",
                "health.push-service")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.getProperty(key)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(key).isEqualTo(200);
            assertThat(response.body()).as(key).contains("\"UP\"");
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
}
