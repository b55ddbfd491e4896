package dev.parley.persistence.devices;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.TestAccounts;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
class DevicesTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    private static ValidatableResponse put(String token, String deviceId, Object body) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json").body(body)
                .when().put("/v1/me/devices/{d}", deviceId).then();
    }

    private static ValidatableResponse list(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/v1/me/devices").then();
    }

    private static ValidatableResponse delete(String token, String path) {
        return given().header("Authorization", "Bearer " + token).when().delete(path).then();
    }

    @Test
    void aDeviceRegistersReplacesAndRemovesItsPushToken() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        String phone = TestAccounts.token(handle, "phone");
        TestAccounts.token(handle, "laptop");

        put(phone, "phone", Map.of("platform", "android", "pushToken", "fcm:token-1")).statusCode(200)
                .body("deviceId", equalTo("phone"))
                .body("loggedIn", equalTo(true))
                .body("platform", equalTo("android"))
                .body("pushToken", equalTo("fcm:token-1"))
                .body("pushTokenUpdatedAt", notNullValue());
        put(phone, "phone", Map.of("platform", "android", "pushToken", "fcm:token-2")).statusCode(200)
                .body("pushToken", equalTo("fcm:token-2"));
        // Any of the caller's logged-in devices, not only the calling one.
        put(phone, "laptop", Map.of("platform", "web", "pushToken", "web-token")).statusCode(200);

        list(phone).statusCode(200)
                .body("deviceId", contains("laptop", "phone"))
                .body("find { it.deviceId == 'phone' }.pushToken", equalTo("fcm:token-2"))
                .body("find { it.deviceId == 'laptop' }.platform", equalTo("web"))
                .body("find { it.deviceId == 'phone' }.lastLoginAt", notNullValue());

        delete(phone, "/v1/me/devices/phone").statusCode(204);
        delete(phone, "/v1/me/devices/phone").statusCode(204);
        list(phone).statusCode(200)
                .body("find { it.deviceId == 'phone' }", not(hasKey("pushToken")))
                .body("find { it.deviceId == 'phone' }.loggedIn", equalTo(true));
    }

    @Test
    void aLoggedOutDeviceLosesItsTokenCannotRegisterAndItsTokenIsRefused() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        String phone = TestAccounts.token(handle, "phone");
        String laptop = TestAccounts.token(handle, "laptop");
        put(laptop, "laptop", Map.of("platform", "web", "pushToken", "web-token")).statusCode(200);

        delete(phone, "/v1/me/devices/laptop/session").statusCode(204);

        list(phone).statusCode(200)
                .body("find { it.deviceId == 'laptop' }.loggedIn", equalTo(false))
                .body("find { it.deviceId == 'laptop' }", not(hasKey("pushToken")))
                .body(not(containsString("web-token")));
        put(phone, "laptop", Map.of("platform", "web", "pushToken", "web-token-2")).statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:device-logged-out"));
        // The logged-out device's token, though not expired, is refused everywhere.
        list(laptop).statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:session-ended"));
        put(laptop, "laptop", Map.of("platform", "web", "pushToken", "web-token-3")).statusCode(401)
                .body("type", equalTo("urn:parley:problem:session-ended"));
        given().header("Authorization", "Bearer " + laptop).when().get("/v1/me/conversations").then().statusCode(401)
                .body("type", equalTo("urn:parley:problem:session-ended"));
        list(phone).statusCode(200).body(not(containsString("web-token")));
    }

    @Test
    void nobodySeesOrChangesAnotherUsersDevices() {
        String ada = TestAccounts.uniqueHandle();
        String bob = TestAccounts.uniqueHandle();
        TestAccounts.register(ada);
        TestAccounts.register(bob);
        String adaPhone = TestAccounts.token(ada, "phone");
        String bobTablet = TestAccounts.token(bob, "tablet");
        put(bobTablet, "tablet", Map.of("platform", "ios", "pushToken", "bobs-apns-token")).statusCode(200);

        list(adaPhone).statusCode(200).body("deviceId", contains("phone")).body(not(containsString("bobs-apns-token")));
        // Ada never logged in from a device named "tablet": it is not hers, whoever else has one.
        put(adaPhone, "tablet", Map.of("platform", "ios", "pushToken", "hijack")).statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));
        delete(adaPhone, "/v1/me/devices/tablet").statusCode(404);
        list(bobTablet).statusCode(200).body("[0].pushToken", equalTo("bobs-apns-token"));
        given().when().get("/v1/me/devices").then().statusCode(401).contentType(PROBLEM_JSON);
        given().contentType("application/json").body(Map.of("platform", "ios", "pushToken", "x"))
                .when().put("/v1/me/devices/tablet").then().statusCode(401).contentType(PROBLEM_JSON);
    }

    @Test
    void badRegistrationsAreA400NamingTheFieldAndChangeNothing() {
        String handle = TestAccounts.uniqueHandle();
        TestAccounts.register(handle);
        String phone = TestAccounts.token(handle, "phone");
        put(phone, "phone", Map.of("platform", "android", "pushToken", "good")).statusCode(200);

        put(phone, "phone", Map.of("platform", "symbian", "pushToken", "t")).statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors.field", contains("platform"));
        put(phone, "phone", Map.of("platform", "ios")).statusCode(400).body("errors.field", contains("pushToken"));
        put(phone, "phone", Map.of("platform", "ios", "pushToken", "has space")).statusCode(400)
                .body("errors.field", contains("pushToken"));
        put(phone, "phone", Map.of("platform", "ios", "pushToken", "x".repeat(4097))).statusCode(400)
                .body("errors.field", contains("pushToken"));
        put(phone, "phone", Map.of("platform", "ios", "pushToken", Map.of("a", 1))).statusCode(400)
                .body("errors.field", contains("pushToken"));
        put(phone, "phone", Map.of("platform", "ios", "pushToken", "t", "extra", true)).statusCode(400)
                .body("errors.field", contains("extra"));
        put(phone, "phone", "{\"platform\": ").statusCode(400)
                .body("type", equalTo("urn:parley:problem:malformed-body"));
        put(phone, "bad.device", Map.of("platform", "ios", "pushToken", "t")).statusCode(400)
                .body("errors.field", hasItem("deviceId"));
        delete(phone, "/v1/me/devices/bad.device").statusCode(400).body("errors.field", contains("deviceId"));
        given().header("Authorization", "Bearer " + phone).contentType("application/json")
                .when().put("/v1/me/devices/phone").then().statusCode(400).body("errors.field", contains("body"));
        put(phone, "never-used", Map.of("platform", "ios", "pushToken", "t")).statusCode(404);

        list(phone).statusCode(200)
                .body("$", org.hamcrest.Matchers.hasSize(1))
                .body("[0]", aMapWithSize(7))
                .body("[0].platform", equalTo("android"))
                .body("[0].pushToken", equalTo("good"));
        List<String> none = List.of();
        list(phone).body("findAll { it.deviceId == 'never-used' }", equalTo(none));
    }
}
