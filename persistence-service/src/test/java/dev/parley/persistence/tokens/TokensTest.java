package dev.parley.persistence.tokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.RedisChannel;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.DeviceLogouts;
import dev.parley.protocol.tokens.VerifiedToken;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
class TokensTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    /** The broker's view: the same class and secret verify the token as an MQTT password. */
    private static final AccessTokens BROKER = new AccessTokens(CassandraTestResource.TOKEN_SECRET, Clock.systemUTC());

    @Test
    void loginIssuesATokenThatVerifiesAndNamesTheDevice() throws Exception {
        String handle = TestAccounts.uniqueHandle();
        String userId = TestAccounts.register(handle);

        ExtractableResponse<Response> login = TestAccounts.login(handle, TestAccounts.PASSWORD, "pixel-7a")
                .statusCode(200)
                .contentType("application/json")
                .body("userId", equalTo(userId))
                .body("deviceId", equalTo("pixel-7a"))
                .body(not(containsString("argon2")))
                .extract();

        VerifiedToken verified = BROKER.verify(login.path("token"));
        assertThat(verified.device()).isEqualTo(new ClientIdentity(UUID.fromString(userId), "pixel-7a"));
        Instant expiresAt = Instant.parse(login.path("expiresAt"));
        assertThat(verified.expiresAt()).isEqualTo(expiresAt);
        // Default lifetime: one hour.
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
    }

    @Test
    void handlesAreMatchedWithoutRegardToCase() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        TestAccounts.login(handle.toUpperCase(), TestAccounts.PASSWORD, "web").statusCode(200);
    }

    @Test
    void tenFailedLoginsLockTheHandleForAWhileEvenForTheRightPasswordButNotOtherHandles() {
        String handle = TestAccounts.uniqueHandle();
        String other = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        TestAccounts.register(other);
        for (int attempt = 0; attempt < 10; attempt++) {
            TestAccounts.login(handle, "a wrong guess " + attempt, "web").statusCode(401);
        }

        String retryAfter = TestAccounts.login(handle, TestAccounts.PASSWORD, "web")
                .statusCode(429)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:too-many-login-attempts"))
                .body("detail", containsString("try again in"))
                .extract().header("Retry-After");
        // The window is 5 minutes from the first failure.
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 300);
        TestAccounts.login(other, TestAccounts.PASSWORD, "web").statusCode(200);
    }

    @Test
    void aWrongPasswordAndAnUnknownHandleGetTheSameAnswer() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);

        String wrongPassword = TestAccounts.login(handle, "not the password", "web")
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:parley:problem:invalid-credentials"))
                .extract().asString();
        String unknownHandle = TestAccounts.login(TestAccounts.uniqueHandle(), "not the password", "web")
                .statusCode(401)
                .extract().asString();

        assertThat(unknownHandle).isEqualTo(wrongPassword);
    }

    @Test
    void anInvalidDeviceIdIsAValidationProblemNamingIt() {
        TestAccounts.login("ada", TestAccounts.PASSWORD, "no/slashes")
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors[0].field", equalTo("deviceId"));
    }

    @Test
    void missingLoginFieldsAreNamed() {
        given().contentType("application/json").body(Map.of())
                .when().post("/v1/tokens")
                .then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("handle", "password", "deviceId"));
    }

    @Test
    void aValidTokenCanBeRefreshedOnceForTheSameDevice() throws Exception {
        String handle = TestAccounts.uniqueHandle();
        String userId = TestAccounts.register(handle);
        String token = TestAccounts.token(handle, "laptop");

        String fresh = given().header("Authorization", "Bearer " + token)
                .when().post("/v1/tokens/refresh")
                .then().statusCode(200)
                .body("userId", equalTo(userId))
                .body("deviceId", equalTo("laptop"))
                .extract().path("token");
        assertThat(fresh).isNotEqualTo(token);
        assertThat(BROKER.verify(fresh).device()).isEqualTo(new ClientIdentity(UUID.fromString(userId), "laptop"));

        // Rotation: the old token was refreshed already, the new one can be.
        given().header("Authorization", "Bearer " + token)
                .when().post("/v1/tokens/refresh")
                .then().statusCode(401)
                .body("type", equalTo("urn:parley:problem:session-ended"));
        given().header("Authorization", "Bearer " + fresh)
                .when().post("/v1/tokens/refresh")
                .then().statusCode(200);
    }

    @Test
    void afterLogoutTheTokenCannotBeRefreshed() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        String token = TestAccounts.token(handle, "phone");

        given().header("Authorization", "Bearer " + token)
                .when().delete("/v1/me/devices/{d}/session", "phone")
                .then().statusCode(204);

        given().header("Authorization", "Bearer " + token)
                .when().post("/v1/tokens/refresh")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:parley:problem:session-ended"));

        // Logging in again starts a new session for the device.
        String again = TestAccounts.token(handle, "phone");
        given().header("Authorization", "Bearer " + again)
                .when().post("/v1/tokens/refresh")
                .then().statusCode(200);
    }

    @Test
    void logoutTellsTheBrokerNodesToCloseTheDevicesOpenConnection() throws Exception {
        String handle = TestAccounts.uniqueHandle();
        UUID userId = UUID.fromString(TestAccounts.register(handle));
        String token = TestAccounts.token(handle, "tablet");
        try (RedisChannel brokerSide = RedisChannel.listen(DeviceLogouts.CHANNEL)) {
            given().header("Authorization", "Bearer " + token)
                    .when().delete("/v1/me/devices/{d}/session", "tablet")
                    .then().statusCode(204);

            // Other tests log out too: find this device's message among theirs.
            String expected = DeviceLogouts.message(new ClientIdentity(userId, "tablet"));
            await().atMost(Duration.ofSeconds(10)).until(() -> brokerSide.heard().contains(expected));
            assertThat(DeviceLogouts.parse(expected)).contains(new ClientIdentity(userId, "tablet"));
        }
    }

    @Test
    void loggingOutAnUnknownDeviceIsNotFound() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        String token = TestAccounts.token(handle, "phone");
        given().header("Authorization", "Bearer " + token)
                .when().delete("/v1/me/devices/{d}/session", "never-used")
                .then().statusCode(404)
                .body("type", equalTo("urn:parley:problem:not-found"));
        given().header("Authorization", "Bearer " + token)
                .when().delete("/v1/me/devices/{d}/session", "bad.device")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("deviceId"));
    }

    @Test
    void refreshWithoutATokenIsUnauthenticated() {
        given().when().post("/v1/tokens/refresh")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
    }
}
