package dev.parley.broker.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.broker.config.HealthSettings;
import dev.parley.broker.startup.Dependencies;
import dev.parley.broker.testing.Http;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.Ports;
import dev.parley.devstack.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class HealthServerTest {

    private static Dependencies dependencies;
    private static HealthServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        dependencies = Dependencies.connect(TestStack.config(TestStack.migratedKeyspace("health"), 0));
        server = HealthServer.start(new HealthSettings("127.0.0.1", Ports.free()), new Readiness(List.of(
                new CassandraCheck(dependencies.cassandra(), Duration.ofSeconds(2)),
                new RedisCheck(dependencies.redis())), Duration.ofSeconds(2)));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (dependencies != null) {
            dependencies.close();
        }
    }

    @Test
    void readyWhenCassandraAndRedisAnswer() throws Exception {
        HttpResponse<String> response = Http.get(base + "/health/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(
                "{\"status\":\"UP\",\"checks\":[{\"name\":\"cassandra\",\"status\":\"UP\"},{\"name\":\"redis\",\"status\":\"UP\"}]}");
    }

    @Test
    void live() throws Exception {
        HttpResponse<String> response = Http.get(base + "/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertThat(Http.get(base + "/health").statusCode()).isEqualTo(404);
        HttpResponse<String> post = Http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    /** A Redis of this test's own, stopped under a running check: 503 with the failing check named. */
    @Test
    void notReadyWhileRedisIsDownAndReadyAgainAfter(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        RedisNode redis = RedisNode.start(new RedisNode.Settings(dir, "127.0.0.1", port, false), Duration.ofSeconds(20));
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
        StatefulRedisConnection<String, String> connection = client.connect();
        try (HealthServer own = HealthServer.start(new HealthSettings("127.0.0.1", 0),
                new Readiness(List.of(new CassandraCheck(dependencies.cassandra(), Duration.ofSeconds(2)),
                        new RedisCheck(connection)), Duration.ofMillis(500)))) {
            String ready = "http://127.0.0.1:" + own.address().getPort() + "/health/ready";
            assertThat(Http.get(ready).statusCode()).isEqualTo(200);

            redis.close();

            HttpResponse<String> down = Http.get(ready);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body())
                    .startsWith("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"cassandra\",\"status\":\"UP\"},"
                            + "{\"name\":\"redis\",\"status\":\"DOWN\",\"detail\":");

            try (RedisNode again = RedisNode.start(new RedisNode.Settings(dir, "127.0.0.1", port, false),
                    Duration.ofSeconds(20))) {
                // Lettuce reconnects by itself, with back-off
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Http.get(ready).statusCode() == 200);
            }
        } finally {
            connection.close();
            client.shutdown();
            redis.close();
        }
    }

    @Test
    void reportJsonEscapesDetails() {
        HealthReport report = new HealthReport(List.of(new HealthReport.Check("redis", false, "said \"no\"\n")));

        assertThat(report.toJson()).isEqualTo(
                "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"redis\",\"status\":\"DOWN\",\"detail\":\"said \\\"no\\\"\\n\"}]}");
    }
}
