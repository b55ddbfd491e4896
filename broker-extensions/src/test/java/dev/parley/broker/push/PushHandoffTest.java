package dev.parley.broker.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.GroupAdmin;
import dev.parley.broker.config.ConfigReader;
import dev.parley.devstack.testing.TcpProxy;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.push.PushChannels;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every stored chat message becomes one push job on the deployment's stream, for everyone but the sender. */
@Timeout(120)
class PushHandoffTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static java.nio.file.Path root;
    private static EmbeddedParley broker;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedParley.start(root, "push");
        client = RedisClient.create("redis://" + TestDependencies.redis());
        redis = client.connect();
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
        client.shutdown();
        broker.close();
    }

    private static List<JsonNode> jobs() throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        for (StreamMessage<String, String> entry : redis.sync().xrange(PushChannels.jobsStream(broker.keyspace()),
                Range.create("-", "+"))) {
            jobs.add(JSON.readTree(entry.getBody().get(PushChannels.JOB_FIELD)));
        }
        return jobs;
    }

    /**
     * Redis unreachable for the broker when the message is stored: the send succeeds (chat does not wait for
     * Redis), the job cannot be queued, and it is once Redis is reachable again.
     */
    @Test
    void aJobRedisDidNotTakeIsQueuedWhenRedisIsBack(@TempDir java.nio.file.Path nodeRoot) throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        try (TcpProxy redisLine = TcpProxy.to(TestDependencies.redis().host(), TestDependencies.redis().port());
             EmbeddedParley node = EmbeddedParley.start(nodeRoot, broker.keyspace(),
                     Map.of(ConfigReader.REDIS_URI, "redis://" + redisLine.endpoint() + "?timeout=1s"));
             ChatDevice alicePhone = node.device(alice, "phone")) {
            redisLine.cut();
            assertThat(alicePhone.send(bob, "while-redis-is-away", "are you there?").reasonCode()).isZero();
            // Longer than the node's Redis command timeout (1 s): the first XADD has failed by then.
            await("no job while Redis is unreachable").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> jobsFor(bob).isEmpty());

            redisLine.restore();
            await("the job once Redis is back").atMost(WAIT).until(() -> jobsFor(bob).size() == 1);
            JsonNode job = jobsFor(bob).get(0);
            assertThat(job.get("from").asText()).isEqualTo(alice.toString());
            assertThat(job.get("seq").asLong()).isEqualTo(1);
        }
    }

    private static List<JsonNode> jobsFor(UUID recipient) throws Exception {
        return jobs().stream().filter(job -> job.get("recipients").toString().contains(recipient.toString())).toList();
    }

    @Test
    void directAndGroupMessagesAreHandedOffForTheirRecipientsAndSystemMessagesAreNot() throws Exception {
        UUID alice = broker.newUser("alice");
        UUID bob = broker.newUser("bob");
        UUID carol = broker.newUser("carol");
        String longText = "x".repeat(79) + "😀 and more";
        try (GroupAdmin admin = new GroupAdmin(broker.session(), broker.keyspace());
             ChatDevice alicePhone = broker.device(alice, "phone")) {
            assertThat(alicePhone.send(bob, "p-1", longText).reasonCode()).isZero();
            UUID group = admin.create("Push", List.of(alice, bob, carol));
            alicePhone.take(Kind.MESSAGES, 2, WAIT); // her own copy of p-1 and the group's creation
            assertThat(alicePhone.sendToGroup(group, "p-2", "to the group").reasonCode()).isZero();

            await().atMost(WAIT).until(() -> jobsFor(bob).size() >= 2);
            List<JsonNode> jobs = jobsFor(bob);
            assertThat(jobs).hasSize(2);
            JsonNode direct = jobs.get(0);
            assertThat(direct.get("from").asText()).isEqualTo(alice.toString());
            assertThat(direct.get("recipients")).extracting(JsonNode::asText).containsExactly(bob.toString());
            assertThat(direct.get("seq").asLong()).isEqualTo(1);
            assertThat(direct.get("preview").asText()).isEqualTo("x".repeat(79) + "😀");
            JsonNode toGroup = jobs.get(1);
            assertThat(toGroup.get("groupId").asText()).isEqualTo(group.toString());
            assertThat(toGroup.get("seq").asLong()).isEqualTo(2);
            assertThat(toGroup.get("recipients")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder(bob.toString(), carol.toString());
        }
    }
}
