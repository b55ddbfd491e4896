package dev.parley.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.devstack.Endpoint;
import dev.parley.devstack.Ports;
import dev.parley.devstack.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis going away, for real: these tests run a Redis of their own (~0.1 s to start), since the
 * shared one must stay up for everyone else.
 */
@Timeout(60)
class RedisOutageTest {

    @Test
    void readinessGoesDownWhenRedisStops(@TempDir Path dir) throws IOException {
        RedisNode redis = RedisNode.start(new RedisNode.Settings(Files.createDirectories(dir.resolve("redis")),
                "127.0.0.1", Ports.free(), false), Duration.ofSeconds(20));
        RedisConfig config = () -> "redis://" + redis.endpoint();
        RedisConnectionProducer producer = new RedisConnectionProducer(config, "test-service");
        RedisClient client = producer.client();
        StatefulRedisConnection<String, String> connection = producer.connection(client);
        try {
            RedisReadinessCheck check = new RedisReadinessCheck(connection, config);
            HealthCheckResponse up = check.call().await().atMost(Duration.ofSeconds(5));
            assertThat(up.getName()).isEqualTo("redis");
            assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

            redis.close();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HealthCheckResponse down = check.call().await().atMost(RedisReadinessCheck.TIMEOUT.plusSeconds(3));
                assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(down.getData().orElseThrow()).containsKey("error");
            });
        } finally {
            producer.close(connection);
            producer.shutdown(client);
            redis.close();
        }
    }

    @Test
    void unreachableRedisFailsStartupWithOneActionableLine() {
        Endpoint nobody = new Endpoint("127.0.0.1", Ports.free());
        RedisConnectionProducer producer = new RedisConnectionProducer(() -> "redis://" + nobody, "test-service");
        RedisClient client = producer.client();
        try {
            assertThatThrownBy(() -> producer.connection(client))
                    .isInstanceOf(RedisStartupFailure.class)
                    .hasMessageStartingWith("test-service cannot start. Cannot reach Redis at redis://" + nobody)
                    .hasMessageContaining("Connection refused")
                    .hasMessageContaining("./parley up")
                    .hasMessageNotContaining("\n");
        } finally {
            producer.shutdown(client);
        }
    }

    @Test
    void aMalformedUriIsNamedAsSuch() {
        assertThatThrownBy(() -> new RedisConnectionProducer(() -> "127.0.0.1:6379", "test-service").client())
                .isInstanceOf(RedisStartupFailure.class)
                .hasMessageContaining("parley.redis.uri '127.0.0.1:6379' is not a Redis URI");
    }
}
