package dev.parley.persistence.presence;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.presence.PresenceKeys;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Presence reads over real HTTP from the real Redis, with hashes written as presence-bridge will write them. */
@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
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
}
