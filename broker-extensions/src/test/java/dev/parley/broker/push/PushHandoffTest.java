package dev.parley.broker.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.broker.testing.ChatDevice;
import dev.parley.broker.testing.ChatDevice.Kind;
import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.GroupAdmin;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.push.PushChannels;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

            await().atMost(WAIT).until(() -> jobs().size() >= 2);
            List<JsonNode> jobs = jobs();
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
