package dev.parley.persistence.groups;

import static io.restassured.RestAssured.given;

import dev.parley.devstack.testing.TestDependencies;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChannels;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** Users, group requests and a look at what the service wrote to Redis, for the group tests. */
final class GroupTestSupport implements AutoCloseable {

    static final String PROBLEM_JSON = "application/problem+json";

    record User(String id, String handle, String token) {
        UUID uuid() {
            return UUID.fromString(id);
        }
    }

    private final RedisClient client = RedisClient.create("redis://" + TestDependencies.redis());
    private final StatefulRedisConnection<String, String> redis = client.connect();
    /** The changes stream of the application under test (named after its own keyspace). */
    private final String stream = GroupChannels.changesStream(
            ConfigProvider.getConfig().getValue("parley.cassandra.keyspace", String.class));

    static User newUser() {
        String handle = TestAccounts.uniqueHandle();
        String id = TestAccounts.register(handle);
        return new User(id, handle, TestAccounts.token(handle, "web"));
    }

    /** Creates a group with {@code admin} as its admin and the others as members; returns its id. */
    static String createGroup(User admin, String name, User... members) {
        return given().header("Authorization", "Bearer " + admin.token()).contentType("application/json")
                .body(Map.of("name", name, "members", java.util.Arrays.stream(members).map(User::id).toList()))
                .when().post("/v1/groups")
                .then().statusCode(201).extract().path("id");
    }

    static ValidatableResponse get(User user, String path) {
        return given().header("Authorization", "Bearer " + user.token()).when().get(path).then();
    }

    static ValidatableResponse post(User user, String path, Object body) {
        return given().header("Authorization", "Bearer " + user.token()).contentType("application/json")
                .body(body).when().post(path).then();
    }

    static ValidatableResponse patch(User user, String path, Object body) {
        return given().header("Authorization", "Bearer " + user.token()).contentType("application/json")
                .body(body).when().patch(path).then();
    }

    static ValidatableResponse put(User user, String path) {
        return given().header("Authorization", "Bearer " + user.token()).when().put(path).then();
    }

    static ValidatableResponse delete(User user, String path) {
        return given().header("Authorization", "Bearer " + user.token()).when().delete(path).then();
    }

    static ValidatableResponse add(User admin, String groupId, User user) {
        return post(admin, "/v1/groups/" + groupId + "/members", Map.of("userId", user.id()));
    }

    /** The roster version the broker would read for the group (0 when the key is missing). */
    long rosterVersionInRedis(String groupId) {
        String value = redis.sync().get(GroupChannels.rosterVersionKey(UUID.fromString(groupId)));
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The changes of one group on the application's changes stream, oldest first. */
    List<GroupChange> changesOf(String groupId) {
        UUID id = UUID.fromString(groupId);
        return redis.sync().xrange(stream, Range.create("-", "+")).stream()
                .map(StreamMessage::getBody)
                .map(body -> Payloads.fromJson(body.get(GroupChannels.CHANGE_FIELD).getBytes(StandardCharsets.UTF_8),
                        GroupChange.class))
                .filter(change -> change.groupId().equals(id))
                .toList();
    }

    @Override
    public void close() {
        redis.close();
        client.shutdown();
    }
}
