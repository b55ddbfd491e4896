package dev.parley.persistence.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class UserResourceTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    UserStore users;

    @Test
    void aStoredUserIsReturnedWithoutContactDetailsOrPassword() {
        UUID id = UUID.randomUUID();
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        users.insert(new UserRecord(id, "ada", "Ada Lovelace", "+44 20 7946 0000", "ada@example.org",
                "$argon2id$not-a-real-hash", created)).toCompletableFuture().join();

        given().when().get("/v1/users/{id}", id)
                .then().statusCode(200)
                .contentType("application/json")
                .body("$", aMapWithSize(4))
                .body("id", equalTo(id.toString()))
                .body("handle", equalTo("ada"))
                .body("displayName", equalTo("Ada Lovelace"))
                .body("createdAt", equalTo(created.toString()));
    }

    @Test
    void anUnknownUserIsANotFoundProblem() {
        UUID id = UUID.randomUUID();
        given().when().get("/v1/users/{id}", id)
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("$", aMapWithSize(4))
                .body("type", equalTo("urn:parley:problem:not-found"))
                .body("title", equalTo("Resource not found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("There is no user with id " + id));
    }

    @Test
    void aMalformedIdIsAValidationProblemNamingTheField() {
        given().when().get("/v1/users/{id}", "not-a-uuid")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("title", equalTo("Request is invalid"))
                .body("status", equalTo(400))
                .body("detail", startsWith("id: must be a UUID"))
                .body("errors[0].field", equalTo("id"))
                .body("errors[0].message", startsWith("must be a UUID"));
    }

    @Test
    void aNonCanonicalUuidIsRefusedToo() {
        // UUID.fromString would read this as 00000001-0002-0003-0004-000000000005.
        given().when().get("/v1/users/{id}", "1-2-3-4-5")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }
}
