package dev.parley.persistence.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;

/** Registration and login through the REST API, for tests that need an account to start from. */
public final class TestAccounts {

    public static final String PASSWORD = "correct horse battery";

    private TestAccounts() {
    }

    /** A handle no other test uses (all tests of a run share one keyspace). */
    public static String uniqueHandle() {
        return "u_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Registers {@code handle} with {@link #PASSWORD}; returns the new user's id. */
    public static String register(String handle) {
        return given().contentType("application/json")
                .body(Map.of("handle", handle, "displayName", "Test " + handle, "password", PASSWORD))
                .when().post("/v1/users")
                .then().statusCode(201)
                .extract().path("id");
    }

    public static ValidatableResponse login(String handle, String password, String deviceId) {
        return given().contentType("application/json")
                .body(Map.of("handle", handle, "password", password, "deviceId", deviceId))
                .when().post("/v1/tokens")
                .then();
    }

    /** Logs {@code handle} in on {@code deviceId}; returns the token. */
    public static String token(String handle, String deviceId) {
        return login(handle, PASSWORD, deviceId).statusCode(200).extract().path("token");
    }
}
