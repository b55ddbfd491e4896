package dev.parley.persistence.groups;

import static dev.parley.persistence.groups.GroupTestSupport.get;
import static dev.parley.persistence.groups.GroupTestSupport.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.persistence.groups.GroupTestSupport.User;
import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChange.Kind;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The 200-member cap, through HTTP, with the adds racing each other. */
@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(180)
class GroupCapTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Test
    void fiftyRacingAddsToAGroupOf190LetExactlyTenIn() throws Exception {
        List<User> users = register(1 + 189 + 50);
        User admin = users.get(0);
        List<User> members = users.subList(1, 190);
        List<User> candidates = users.subList(190, 240);
        String groupId = given().header("Authorization", "Bearer " + admin.token()).contentType("application/json")
                .body(Map.of("name", "Crowded", "members", members.stream().map(User::id).toList()))
                .when().post("/v1/groups")
                .then().statusCode(201).body("memberCount", equalTo(190))
                .extract().path("id");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI addUri = base.toURI().resolve("v1/groups/" + groupId + "/members");
        List<CompletableFuture<HttpResponse<String>>> adds = candidates.stream()
                .map(candidate -> http.sendAsync(HttpRequest.newBuilder(addUri)
                                .header("Authorization", "Bearer " + admin.token())
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + candidate.id() + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).join();

        List<HttpResponse<String>> created = adds.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 201).toList();
        List<HttpResponse<String>> refused = adds.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() != 201).toList();
        assertThat(created).hasSize(10);
        assertThat(refused).hasSize(40).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("type").asText()).isEqualTo("urn:parley:problem:group-full");
            assertThat(problem.path("status").asInt()).isEqualTo(409);
            assertThat(problem.path("detail").asText()).contains("200");
        });

        get(admin, "/v1/groups/" + groupId + "/members").statusCode(200).body("$", hasSize(200));
        get(admin, "/v1/groups/" + groupId).statusCode(200)
                .body("memberCount", equalTo(200)).body("rosterVersion", equalTo(11));
        try (GroupTestSupport support = new GroupTestSupport()) {
            assertThat(support.rosterVersionInRedis(groupId)).isEqualTo(11);
            List<GroupChange> changes = support.changesOf(groupId);
            assertThat(changes).filteredOn(change -> change.kind() == Kind.added).hasSize(10)
                    .extracting(GroupChange::rosterVersion).containsExactlyInAnyOrder(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
                            10L, 11L);
        }
        // Each answer carried its own roster version.
        List<Long> versions = created.stream().map(r -> {
            try {
                return JSON.readTree(r.body()).path("rosterVersion").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(versions).containsExactlyInAnyOrder(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    /** Registers users four at a time (each registration is a few lightweight transactions). */
    private static List<User> register(int count) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<User>> users = IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.supplyAsync(GroupTestSupport::newUser, pool)).toList();
            return users.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdown();
        }
    }
}
