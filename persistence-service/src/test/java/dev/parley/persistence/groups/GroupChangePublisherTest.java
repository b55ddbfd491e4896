package dev.parley.persistence.groups;

import dev.parley.persistence.problems.ChangePropagation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.devstack.Ports;
import dev.parley.devstack.RedisNode;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChange.Kind;
import dev.parley.protocol.groups.GroupChannels;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis side of group changes, against a Redis of this test's own (~0.1 s to start), because the
 * outage case stops it and the shared one must stay up for everyone else.
 */
@Timeout(60)
class GroupChangePublisherTest {

    @Test
    void announcesRaisesTheVersionNeverLowersItAndAnOutageIsTheRetryableProblem(@TempDir Path dir) throws Exception {
        RedisNode node = RedisNode.start(new RedisNode.Settings(Files.createDirectories(dir.resolve("redis")),
                "127.0.0.1", Ports.free(), false), Duration.ofSeconds(20));
        RedisClient client = RedisClient.create("redis://" + node.endpoint());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        StatefulRedisConnection<String, String> redis = client.connect();
        try {
            String stream = GroupChannels.changesStream("publisher_test");
            GroupChangePublisher publisher = new GroupChangePublisher(redis, "publisher_test",
                    new ChangePropagation(Duration.ofSeconds(1)));
            UUID group = UUID.randomUUID();
            UUID ada = UUID.randomUUID();
            UUID bob = UUID.randomUUID();
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            GroupChange added = new GroupChange(group, Kind.added, bob, ada, 3, at, null);

            publisher.announce(added).toCompletableFuture().join();
            assertThat(redis.sync().get(GroupChannels.rosterVersionKey(group))).isEqualTo("3");
            List<StreamMessage<String, String>> entries =
                    redis.sync().xrange(stream, Range.create("-", "+"));
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).getBody()).containsOnlyKeys(GroupChannels.CHANGE_FIELD);
            assertThat(Payloads.fromJson(entries.get(0).getBody().get(GroupChannels.CHANGE_FIELD)
                    .getBytes(StandardCharsets.UTF_8), GroupChange.class)).isEqualTo(added);

            // A change that finishes late (an older version) must not lower what the broker reads.
            publisher.confirm(group, 2).toCompletableFuture().join();
            assertThat(redis.sync().get(GroupChannels.rosterVersionKey(group))).isEqualTo("3");
            publisher.confirm(group, 4).toCompletableFuture().join();
            assertThat(redis.sync().get(GroupChannels.rosterVersionKey(group))).isEqualTo("4");
            assertThat(redis.sync().xlen(stream)).isEqualTo(1);

            node.close();

            assertThatThrownBy(() -> publisher.announce(new GroupChange(group, Kind.left, bob, bob, 5, at, null))
                    .toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(ProblemException.class, problem -> {
                        assertThat(problem.type()).isEqualTo(ProblemType.CHANGE_NOT_PROPAGATED);
                        assertThat(problem.type().status()).isEqualTo(503);
                        assertThat(problem.getMessage()).contains("stored").contains("Retry");
                    });
            assertThatThrownBy(() -> publisher.confirm(group, 5).toCompletableFuture().join())
                    .cause().isInstanceOf(ProblemException.class);
        } finally {
            redis.close();
            client.shutdown();
            node.close();
        }
    }
}
