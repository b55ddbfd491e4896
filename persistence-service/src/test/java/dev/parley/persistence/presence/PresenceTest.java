package dev.parley.persistence.presence;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.presence.PresencePrivacy;
import dev.parley.store.presence.UserPresenceStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Presence reads over real HTTP from the real Redis, with hashes written as presence-bridge will write them. */
@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(90)
class PresenceTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    StatefulRedisConnection<String, String> redis;

    private record User(String id, String token) {
    }

    private static User newUser() {
        String handle = TestAccounts.uniqueHandle();
        String id = TestAccounts.register(handle);
        return new User(id, TestAccounts.token(handle, "web"));
    }

    private static ValidatableResponse presence(User caller, String id) {
        return given().header("Authorization", "Bearer " + caller.token())
                .when().get("/v1/users/{id}/presence", id).then();
    }

    private static void befriend(User a, User b) {
        given().header("Authorization", "Bearer " + a.token()).contentType("application/json")
                .body(Map.of("to", b.id())).when().post("/v1/me/friend-requests").then().statusCode(201);
        given().header("Authorization", "Bearer " + b.token())
                .when().post("/v1/me/friend-requests/" + a.id() + "/accept").then().statusCode(200);
    }

    @Test
    void someoneNeverSeenOnlineIsOfflineWithoutLastSeen() {
        User ada = newUser();
        presence(ada, ada.id()).statusCode(200)
                .body("$", aMapWithSize(2))
                .body("status", equalTo("offline"))
                .body("lastSeen", nullValue());
    }

    @Test
    void youSeeYourOwnAndYourFriendsPresence() {
        User ada = newUser();
        User bob = newUser();
        befriend(ada, bob);
        redis.sync().hset(PresenceKeys.key(UUID.fromString(bob.id())), Map.of(
                PresenceKeys.STATUS, PresenceKeys.ONLINE, PresenceKeys.LAST_SEEN, "2026-11-25T20:00:00Z"));
        redis.sync().hset(PresenceKeys.key(UUID.fromString(ada.id())), Map.of(
                PresenceKeys.STATUS, PresenceKeys.OFFLINE, PresenceKeys.LAST_SEEN, "2026-11-25T19:30:00.250Z"));

        presence(ada, bob.id()).statusCode(200)
                .body("status", equalTo("online"))
                .body("lastSeen", equalTo("2026-11-25T20:00:00Z"));
        presence(bob, ada.id()).statusCode(200)
                .body("status", equalTo("offline"))
                .body("lastSeen", equalTo("2026-11-25T19:30:00.250Z"));
        presence(ada, ada.id()).statusCode(200).body("status", equalTo("offline"));
    }

    @Test
    void strangersAreRefusedUnknownUsersAreNotFoundAndBadIdsAreA400() {
        User ada = newUser();
        User carol = newUser();
        redis.sync().hset(PresenceKeys.key(UUID.fromString(carol.id())), PresenceKeys.STATUS, PresenceKeys.ONLINE);

        presence(ada, carol.id()).statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-friend"))
                .body("status", equalTo(403));
        presence(ada, UUID.randomUUID().toString()).statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));
        presence(ada, "not-a-uuid").statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", contains("id"));
        given().when().get("/v1/users/{id}/presence", carol.id()).then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
    }

    @Inject
    UserPresenceStore persisted;

    @Inject
    RedisClient redisClient;

    @Test
    void withNothingInRedisTheLastSeenPersistedInCassandraIsTheAnswer() {
        User ada = newUser();
        User bob = newUser();
        befriend(ada, bob);
        Instant seen = Instant.parse("2026-11-25T18:00:00.125Z");
        persisted.recordLastSeen(UUID.fromString(bob.id()), seen).toCompletableFuture().join();
        redis.sync().del(PresenceKeys.key(UUID.fromString(bob.id())));

        presence(ada, bob.id()).statusCode(200)
                .body("status", equalTo("offline"))
                .body("lastSeen", equalTo("2026-11-25T18:00:00.125Z"));
    }

    @Test
    void invisibleAndHiddenLastSeenAreWhatFriendsSeeWhileYouSeeTheTruth() {
        User ada = newUser();
        User bob = newUser();
        befriend(ada, bob);
        UUID bobId = UUID.fromString(bob.id());
        redis.sync().hset(PresenceKeys.key(bobId), Map.of(
                PresenceKeys.STATUS, PresenceKeys.ONLINE, PresenceKeys.LAST_SEEN, "2026-11-25T20:00:00Z"));
        own(bob).statusCode(200)
                .body("visibility", equalTo("visible")).body("showLastSeen", equalTo(true))
                .body("status", equalTo("online")).body("lastSeen", equalTo("2026-11-25T20:00:00Z"));

        try (StatefulRedisPubSubConnection<String, String> signals = redisClient.connectPubSub()) {
            List<String> signalled = new CopyOnWriteArrayList<>();
            signals.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    signalled.add(message);
                }
            });
            signals.sync().subscribe(PresenceKeys.SETTINGS_CHANGED);

            setPresence(bob, Map.of("visibility", "invisible", "showLastSeen", true)).statusCode(200)
                    .body("visibility", equalTo("invisible")).body("showLastSeen", equalTo(true))
                    .body("status", equalTo("online"));
            presence(ada, bob.id()).statusCode(200).body("status", equalTo("offline")).body("lastSeen", nullValue());
            presence(bob, bob.id()).statusCode(200).body("status", equalTo("online"))
                    .body("lastSeen", equalTo("2026-11-25T20:00:00Z"));
            assertThat(redis.sync().hgetall(PresenceKeys.settingsKey(bobId)))
                    .containsEntry(PresenceKeys.VISIBILITY, PresenceKeys.INVISIBLE);
            assertThat(redis.sync().ttl(PresenceKeys.settingsKey(bobId))).isPositive();
            await().atMost(Duration.ofSeconds(5)).until(() -> signalled.contains(bob.id()));

            setPresence(bob, Map.of("visibility", "visible", "showLastSeen", false)).statusCode(200);
            presence(ada, bob.id()).statusCode(200).body("status", equalTo("online")).body("lastSeen", nullValue());
            own(bob).statusCode(200).body("visibility", equalTo("visible")).body("showLastSeen", equalTo(false))
                    .body("lastSeen", equalTo("2026-11-25T20:00:00Z"));
            // Not reciprocal: Bob, who hides his, still sees Ada's last seen.
            redis.sync().hset(PresenceKeys.key(UUID.fromString(ada.id())), Map.of(
                    PresenceKeys.STATUS, PresenceKeys.OFFLINE, PresenceKeys.LAST_SEEN, "2026-11-25T19:00:00Z"));
            presence(bob, ada.id()).statusCode(200).body("lastSeen", equalTo("2026-11-25T19:00:00Z"));
        }
        assertThat(persisted.find(bobId).toCompletableFuture().join().privacy())
                .isEqualTo(new PresencePrivacy(false, false));
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        User ada = newUser();
        setPresence(ada, Map.of("visibility", "hidden")).statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors.field", containsInAnyOrder("visibility", "showLastSeen"));
        setPresence(ada, Map.of("visibility", "visible", "showLastSeen", true, "away", true)).statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", contains("away"));
        setPresence(ada, Map.of("visibility", "visible", "showLastSeen", "maybe")).statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", contains("showLastSeen"));
        own(ada).statusCode(200).body("visibility", equalTo("visible")).body("showLastSeen", equalTo(true));
    }

    private static ValidatableResponse own(User caller) {
        return given().header("Authorization", "Bearer " + caller.token()).when().get("/v1/me/presence").then();
    }

    private static ValidatableResponse setPresence(User caller, Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + caller.token()).contentType("application/json")
                .body(body).when().put("/v1/me/presence").then();
    }
}
