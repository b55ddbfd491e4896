package dev.parley.persistence.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class MeResourceTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void theOwnProfileIncludesContactDetailsButNeverTheHash() {
        String handle = TestAccounts.uniqueHandle();
        String email = handle + "@example.org";
        String id = given().contentType("application/json")
                .body(Map.of("handle", handle, "displayName", "Grace", "password", TestAccounts.PASSWORD, "email", email))
                .when().post("/v1/users")
                .then().statusCode(201).extract().path("id");
        String token = TestAccounts.token(handle, "web");

        given().header("Authorization", "Bearer " + token)
                .when().get("/v1/me")
                .then().statusCode(200)
                .body("$", aMapWithSize(5))
                .body("id", equalTo(id))
                .body("handle", equalTo(handle))
                .body("email", equalTo(email))
                .body(not(containsString("argon2")))
                .body(not(containsString("password")));
    }

    @Test
    void withoutATokenTheAnswerIsUnauthenticated() {
        given().when().get("/v1/me")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:parley:problem:unauthenticated"))
                .body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Basic YWRhOnB3")
                .when().get("/v1/me")
                .then().statusCode(401)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
    }

    @Test
    void aForgedOrExpiredTokenIsRefusedWithItsReason() {
        AccessTokens forger = new AccessTokens("another-secret-that-is-long-enough-0123456789", Clock.systemUTC());
        String forged = forger.issue(new ClientIdentity(UUID.randomUUID(), "web"), Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + forged)
                .when().get("/v1/me")
                .then().statusCode(401)
                .body("type", equalTo("urn:parley:problem:unauthenticated"))
                .body("detail", containsString("signature"));

        AccessTokens past = new AccessTokens(CassandraTestResource.TOKEN_SECRET,
                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
        String expired = past.issue(new ClientIdentity(UUID.randomUUID(), "web"), Duration.ofHours(1));
        given().header("Authorization", "Bearer " + expired)
                .when().get("/v1/me")
                .then().statusCode(401)
                .body("detail", containsString("expired"));
    }
}
