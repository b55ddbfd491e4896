package dev.parley.persistence.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
class RegistrationTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    UserStore users;

    @TestHTTPResource("/v1/users")
    URI usersUri;

    private static ValidatableResponse register(Map<String, ?> body) {
        return given().contentType("application/json").body(body).when().post("/v1/users").then();
    }

    private static Map<String, Object> valid(String handle) {
        Map<String, Object> body = new HashMap<>();
        body.put("handle", handle);
        body.put("displayName", "Ada Lovelace");
        body.put("password", TestAccounts.PASSWORD);
        return body;
    }

    @Test
    void registrationCreatesTheUserAndAnswersWithItsPublicProfile() {
        String handle = TestAccounts.uniqueHandle();
        Map<String, Object> body = valid(handle);
        String phone = "+4477009" + (100000 + (int) (Math.random() * 800000));
        body.put("phone", phone);
        body.put("email", "Ada." + handle + "@Example.org");

        String id = register(body)
                .statusCode(201)
                .contentType("application/json")
                .header("Location", containsString("/v1/users/"))
                .body("$", aMapWithSize(4))
                .body("handle", equalTo(handle))
                .body("displayName", equalTo("Ada Lovelace"))
                .body("createdAt", notNullValue())
                .body(not(containsString("argon2")))
                .body(not(containsString(TestAccounts.PASSWORD)))
                .extract().path("id");

        UserRecord stored = users.find(UUID.fromString(id)).toCompletableFuture().join().orElseThrow();
        assertThat(stored.handle()).isEqualTo(handle);
        assertThat(stored.phone()).isEqualTo(phone);
        assertThat(stored.email()).isEqualTo("ada." + handle + "@example.org");
        assertThat(stored.passwordHash()).startsWith("$argon2id$v=19$").doesNotContain(TestAccounts.PASSWORD);

        given().when().get("/v1/users?handle={h}", handle)
                .then().statusCode(200)
                .body("$", aMapWithSize(4))
                .body("id", equalTo(id))
                .body(not(containsString("argon2")))
                .body(not(containsString(phone)));
        given().when().get("/v1/users/{id}", id)
                .then().statusCode(200)
                .body("handle", equalTo(handle))
                .body(not(containsString("argon2")));
    }

    @Test
    void eachInvalidFieldIsNamed() {
        Map<String, Object> body = new HashMap<>();
        body.put("handle", "Ada!");
        body.put("displayName", "   ");
        body.put("password", "short");
        body.put("phone", "07700 900123");
        body.put("email", "not-an-address");
        register(body)
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors.field", hasItems("handle", "displayName", "password", "phone", "email"))
                .body("errors.find { it.field == 'handle' }.message", containsString("lower-case"))
                .body("errors.find { it.field == 'phone' }.message", containsString("E.164"));
    }

    @Test
    void missingFieldsAreNamed() {
        register(Map.of())
                .statusCode(400)
                .body("errors.field", hasItems("handle", "displayName", "password"));
    }

    @Test
    void lengthLimitsCountCharactersNotBytes() {
        Map<String, Object> body = valid(TestAccounts.uniqueHandle());
        body.put("displayName", "😀".repeat(64)); // 64 code points, 128 UTF-16 chars
        register(body).statusCode(201);

        Map<String, Object> tooLong = valid(TestAccounts.uniqueHandle());
        tooLong.put("displayName", "😀".repeat(65));
        register(tooLong).statusCode(400).body("errors[0].field", equalTo("displayName"));

        Map<String, Object> shortHandle = valid("ab");
        register(shortHandle).statusCode(400).body("errors[0].field", equalTo("handle"));
        Map<String, Object> longPassword = valid(TestAccounts.uniqueHandle());
        longPassword.put("password", "p".repeat(129));
        register(longPassword).statusCode(400).body("errors[0].field", equalTo("password"));
    }

    @Test
    void aTakenHandleIsAConflict() {
        String handle = TestAccounts.uniqueHandle();
        register(valid(handle)).statusCode(201);
        register(valid(handle))
                .statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:handle-taken"))
                .body("detail", containsString(handle));
    }

    @Test
    void aTakenEmailIsAConflictAndReleasesTheHandleItClaimed() {
        String email = TestAccounts.uniqueHandle() + "@example.org";
        Map<String, Object> first = valid(TestAccounts.uniqueHandle());
        first.put("email", email);
        register(first).statusCode(201);

        String secondHandle = TestAccounts.uniqueHandle();
        Map<String, Object> second = valid(secondHandle);
        second.put("email", email.toUpperCase());
        register(second)
                .statusCode(409)
                .body("type", equalTo("urn:parley:problem:email-taken"));

        // The failed registration gave its handle back: it can be registered now.
        register(valid(secondHandle)).statusCode(201);
    }

    @Test
    void ofFiftyConcurrentRegistrationsOfOneHandleExactlyOneSucceeds() {
        String handle = TestAccounts.uniqueHandle();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 50)
                .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(usersUri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"" + handle + "\",\"displayName\":\"Racer "
                                + i + "\",\"password\":\"" + TestAccounts.PASSWORD + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        List<HttpResponse<String>> done = responses.stream().map(CompletableFuture::join).toList();

        assertThat(done).extracting(HttpResponse::statusCode).containsOnly(201, 409);
        assertThat(done).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        assertThat(done).filteredOn(r -> r.statusCode() == 409)
                .allSatisfy(r -> assertThat(r.body()).contains("urn:parley:problem:handle-taken"));

        String winner = done.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow().body();
        given().when().get("/v1/users?handle={h}", handle)
                .then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo(winner));
    }

    @Test
    void lookingUpAnUnknownHandleIsNotFound() {
        given().when().get("/v1/users?handle={h}", TestAccounts.uniqueHandle())
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));
        given().when().get("/v1/users?handle=NOT VALID")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("handle"));
        given().when().get("/v1/users")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("handle"));
    }
}
