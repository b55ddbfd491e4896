package dev.parley.persistence.friends;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.RedisChannel;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.presence.Unfriendings;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
class FriendsTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    /** A registered user (with e-mail, to prove it never leaks) and a token. */
    private record User(String id, String handle, String token) {
    }

    private static User newUser() {
        String handle = TestAccounts.uniqueHandle();
        String id = given().contentType("application/json")
                .body(Map.of("handle", handle, "displayName", "Test " + handle, "password", TestAccounts.PASSWORD,
                        "email", handle + "@example.org"))
                .when().post("/v1/users")
                .then().statusCode(201).extract().path("id");
        return new User(id, handle, TestAccounts.token(handle, "web"));
    }

    private static ValidatableResponse request(User from, String to) {
        return given().header("Authorization", "Bearer " + from.token()).contentType("application/json")
                .body(Map.of("to", to))
                .when().post("/v1/me/friend-requests").then();
    }

    private static ValidatableResponse get(User user, String path) {
        return given().header("Authorization", "Bearer " + user.token()).when().get(path).then();
    }

    private static ValidatableResponse accept(User user, String from) {
        return given().header("Authorization", "Bearer " + user.token())
                .when().post("/v1/me/friend-requests/" + from + "/accept").then();
    }

    private static ValidatableResponse delete(User user, String path) {
        return given().header("Authorization", "Bearer " + user.token()).when().delete(path).then();
    }

    @Test
    void aRequestIsListedThenAcceptedAndBothSeeEachOther() {
        User ada = newUser();
        User bob = newUser();

        request(ada, bob.id()).statusCode(201)
                .body("$", aMapWithSize(2))
                .body("user", equalTo(bob.id())).body("status", equalTo("pending"));
        request(ada, bob.id()).statusCode(200).body("status", equalTo("pending"));

        get(bob, "/v1/me/friend-requests").statusCode(200)
                .body("$", hasSize(1))
                .body("[0]", aMapWithSize(4))
                .body("[0].from", equalTo(ada.id()))
                .body("[0].handle", equalTo(ada.handle()))
                .body("[0].displayName", equalTo("Test " + ada.handle()))
                .body("[0].createdAt", notNullValue())
                .body(not(containsString("@example.org")));
        get(ada, "/v1/me/friend-requests").statusCode(200).body("$", empty());

        accept(bob, ada.id()).statusCode(200)
                .body("user", equalTo(ada.id())).body("status", equalTo("friends"));
        accept(bob, ada.id()).statusCode(200).body("status", equalTo("friends"));

        get(bob, "/v1/me/friend-requests").statusCode(200).body("$", empty());
        get(bob, "/v1/me/friends").statusCode(200)
                .body("$", hasSize(1))
                .body("[0]", aMapWithSize(4))
                .body("[0].id", equalTo(ada.id()))
                .body("[0].handle", equalTo(ada.handle()))
                .body("[0].since", notNullValue())
                .body(not(containsString("@example.org")))
                .body(not(containsString("phone")))
                .body(not(containsString("email")));
        get(ada, "/v1/me/friends").statusCode(200)
                .body("id", contains(bob.id()))
                .body(not(containsString("@example.org")));

        request(ada, bob.id()).statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:already-friends"));
    }

    @Test
    void mutualRequestsBecomeFriends() {
        User ada = newUser();
        User bob = newUser();
        request(ada, bob.id()).statusCode(201);
        request(bob, ada.id()).statusCode(200)
                .body("user", equalTo(ada.id())).body("status", equalTo("friends"));

        get(ada, "/v1/me/friends").statusCode(200).body("id", contains(bob.id()));
        get(bob, "/v1/me/friends").statusCode(200).body("id", contains(ada.id()));
        get(ada, "/v1/me/friend-requests").statusCode(200).body("$", empty());
        get(bob, "/v1/me/friend-requests").statusCode(200).body("$", empty());
    }

    @Test
    void aDeclinedRequestIsGoneAndDecliningIsIdempotent() {
        User ada = newUser();
        User bob = newUser();
        request(ada, bob.id()).statusCode(201);

        delete(bob, "/v1/me/friend-requests/" + ada.id()).statusCode(204);
        delete(bob, "/v1/me/friend-requests/" + ada.id()).statusCode(204);

        get(bob, "/v1/me/friend-requests").statusCode(200).body("$", empty());
        accept(bob, ada.id()).statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));
        get(ada, "/v1/me/friends").statusCode(200).body("$", empty());
        get(bob, "/v1/me/friends").statusCode(200).body("$", empty());
        // Declined, the sender may ask again.
        request(ada, bob.id()).statusCode(201);
    }

    @Test
    void removingAFriendIsSymmetricAndIdempotent() {
        User ada = newUser();
        User bob = newUser();
        request(ada, bob.id()).statusCode(201);
        accept(bob, ada.id()).statusCode(200);

        delete(ada, "/v1/me/friends/" + bob.id()).statusCode(204);
        get(ada, "/v1/me/friends").statusCode(200).body("$", empty());
        get(bob, "/v1/me/friends").statusCode(200).body("$", empty());

        delete(ada, "/v1/me/friends/" + bob.id()).statusCode(204);
        delete(bob, "/v1/me/friends/" + ada.id()).statusCode(204);
        delete(bob, "/v1/me/friends/" + UUID.randomUUID()).statusCode(204);
    }

    @Test
    void endingAFriendshipTellsTheBrokerNodesToDropPresenceSubscriptions() {
        User ada = newUser();
        User bob = newUser();
        request(ada, bob.id()).statusCode(201);
        accept(bob, ada.id()).statusCode(200);
        try (RedisChannel brokerSide = RedisChannel.listen(Unfriendings.CHANNEL)) {
            delete(ada, "/v1/me/friends/" + bob.id()).statusCode(204);

            // Other tests unfriend too: find this pair's message among theirs.
            Unfriendings.Pair pair = new Unfriendings.Pair(UUID.fromString(ada.id()), UUID.fromString(bob.id()));
            await().atMost(Duration.ofSeconds(10)).until(() -> brokerSide.heard().stream()
                    .anyMatch(message -> Unfriendings.parse(message).filter(pair::equals).isPresent()));
        }
    }

    @Test
    void acceptingWithoutARequestIsNotFound() {
        User ada = newUser();
        accept(ada, UUID.randomUUID().toString()).statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));
    }

    @Test
    void badInputsAreProblems() {
        User ada = newUser();

        request(ada, "not-a-uuid").statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors[0].field", equalTo("to"));
        given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body("{}")
                .when().post("/v1/me/friend-requests")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
        request(ada, ada.id()).statusCode(400)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors[0].field", equalTo("to"))
                .body("detail", containsString("yourself"));
        request(ada, UUID.randomUUID().toString()).statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));

        accept(ada, "nope").statusCode(400).body("errors[0].field", equalTo("from"));
        delete(ada, "/v1/me/friend-requests/nope").statusCode(400).body("errors[0].field", equalTo("from"));
        delete(ada, "/v1/me/friends/nope").statusCode(400).body("errors[0].field", equalTo("id"));
    }

    @Test
    void everyFriendEndpointNeedsAToken() {
        String someone = UUID.randomUUID().toString();
        given().contentType("application/json").body(Map.of("to", someone))
                .when().post("/v1/me/friend-requests")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
        given().when().get("/v1/me/friend-requests").then().statusCode(401);
        given().when().post("/v1/me/friend-requests/" + someone + "/accept").then().statusCode(401);
        given().when().delete("/v1/me/friend-requests/" + someone).then().statusCode(401);
        given().when().get("/v1/me/friends").then().statusCode(401);
        given().when().delete("/v1/me/friends/" + someone).then().statusCode(401);
    }
}
