package dev.parley.persistence.conversations;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.persistence.testing.TestAccounts;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.Watermarks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * History and catch-up against a conversation of 10,000 messages written straight into Cassandra, over
 * real HTTP; the store's partition-read counter proves what each page costs.
 */
@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(120)
class HistoryAndSyncTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final int TOTAL = 10_000;

    @Inject
    MessageStore messages;
    @Inject
    ConversationIndex index;
    @Inject
    Watermarks watermarks;

    record User(String id, String handle, String token) {
    }

    /** Ada and Bob with 10,000 messages, written once for the whole class. */
    private static User ada;
    private static User bob;
    private static String big;

    static User newUser() {
        String handle = TestAccounts.uniqueHandle();
        String id = TestAccounts.register(handle);
        return new User(id, handle, TestAccounts.token(handle, "web"));
    }

    private synchronized void bigConversation() {
        if (big == null) {
            ada = newUser();
            bob = newUser();
            big = new TestMessages(messages, index, watermarks).write(ada.id(), bob.id(), 1, TOTAL);
        }
    }

    private static ValidatableResponse history(User user, String conversation, String query) {
        return given().header("Authorization", "Bearer " + user.token())
                .when().get("/v1/conversations/" + conversation + "/messages" + query).then();
    }

    private static ValidatableResponse sync(User user, Object body) {
        return given().header("Authorization", "Bearer " + user.token()).contentType("application/json")
                .body(body).when().post("/v1/me/sync").then();
    }

    private static List<Long> seqs(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    /** The seqs of a page, and how many message partitions it read. */
    private record Page(List<Long> seqs, long partitions) {
    }

    private Page page(User user, String conversation, String query) {
        long before = messages.messagePartitionReads();
        List<Number> seqs = history(user, conversation, query).statusCode(200).extract().path("messages.seq");
        long partitions = messages.messagePartitionReads() - before;
        return new Page(seqs.stream().map(Number::longValue).toList(), partitions);
    }

    @Test
    void theNewestPageIsTheLastFiftyAndReadsAtMostTwoPartitions() {
        bigConversation();
        Page newest = page(ada, big, "");
        assertThat(newest.seqs()).isEqualTo(seqs(TOTAL - 49, TOTAL));
        assertThat(newest.partitions()).isBetween(1L, 2L);

        Page largest = page(bob, big, "?limit=200");
        assertThat(largest.seqs()).isEqualTo(seqs(TOTAL - 199, TOTAL));
        assertThat(largest.partitions()).isBetween(1L, 2L);

        history(ada, big, "?limit=3").statusCode(200)
                .body("conversationId", equalTo(big))
                .body("hasOlder", equalTo(true))
                .body("messages[2].id", org.hamcrest.Matchers.notNullValue())
                .body("messages[2].conversationId", equalTo(big))
                .body("messages[2].from", equalTo(ada.id()))
                .body("messages[2].to", equalTo(bob.id()))
                .body("messages[2].text", equalTo("message " + TOTAL))
                .body("messages[2].sentAt", equalTo("2026-01-01T00:00:10Z"))
                .body("messages[2].clientMsgId", containsString("client-"))
                .body("messages[2]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("groupId")));
    }

    @Test
    void middlePagesBeforeAndAfterASeqAreExactAndReadAtMostTwoPartitions() {
        bigConversation();
        // Across the bucket boundary 5000 | 5001: two partitions, never more.
        Page before = page(ada, big, "?beforeSeq=5101&limit=200");
        assertThat(before.seqs()).isEqualTo(seqs(4901, 5100));
        assertThat(before.partitions()).isEqualTo(2);

        Page after = page(ada, big, "?afterSeq=4899&limit=200");
        assertThat(after.seqs()).isEqualTo(seqs(4900, 5099));
        assertThat(after.partitions()).isEqualTo(2);

        Page within = page(bob, big, "?afterSeq=6000&limit=100");
        assertThat(within.seqs()).isEqualTo(seqs(6001, 6100));
        assertThat(within.partitions()).isEqualTo(1);

        assertThat(page(ada, big, "?beforeSeq=3").seqs()).isEqualTo(seqs(1, 2));
        history(ada, big, "?beforeSeq=3").body("hasOlder", equalTo(false));
        assertThat(page(ada, big, "?beforeSeq=1").seqs()).isEmpty();
        assertThat(page(ada, big, "?afterSeq=" + TOTAL).seqs()).isEmpty();
        // A beforeSeq far beyond the newest message starts at the newest, without walking empty buckets.
        Page beyond = page(ada, big, "?beforeSeq=9007199254740991&limit=5");
        assertThat(beyond.seqs()).isEqualTo(seqs(TOTAL - 4, TOTAL));
        assertThat(beyond.partitions()).isEqualTo(1);
    }

    @Test
    void syncAfterSeq5000ReturnsExactlyTheRestInPages() {
        bigConversation();
        Map<String, Object> cursors = new HashMap<>(Map.of(big, 5000));
        List<Long> received = new ArrayList<>();
        boolean complete = false;
        int requests = 0;
        while (!complete) {
            long partitionsBefore = messages.messagePartitionReads();
            var answer = sync(bob, Map.of("cursors", cursors, "limit", 500)).statusCode(200).extract();
            // One probe, then the page: at most two partitions for 500 messages.
            assertThat(messages.messagePartitionReads() - partitionsBefore).isLessThanOrEqualTo(3);
            List<Number> seqs = answer.path("messages.seq");
            seqs.forEach(s -> received.add(s.longValue()));
            complete = answer.path("complete");
            Map<String, Object> next = answer.path("cursors");
            cursors = new HashMap<>(next);
            assertThat(++requests).isLessThanOrEqualTo(12);
        }
        assertThat(received).isEqualTo(seqs(5001, TOTAL));
        assertThat(((Number) cursors.get(big)).longValue()).isEqualTo(TOTAL);
        assertThat(requests).isEqualTo(11); // ten full pages, then an empty complete one
    }

    @Test
    void syncIncludesConversationsTheDeviceHasNotHeardOfAndLeavesOutOthersConversations() {
        User ada = newUser();
        User bob = newUser();
        User carol = newUser();
        TestMessages store = new TestMessages(messages, index, watermarks);
        String adaBob = store.write(ada.id(), bob.id(), 1, 3);
        String adaCarol = store.write(carol.id(), ada.id(), 1, 2);

        // Ada's device knows of nothing: both conversations come, from seq 1, in id order.
        ValidatableResponse all = sync(ada, Map.of()).statusCode(200)
                .body("complete", equalTo(true))
                .body("messages", hasSize(5))
                .body("cursors." + quoted(adaBob), equalTo(3))
                .body("cursors." + quoted(adaCarol), equalTo(2));
        List<String> order = all.extract().path("messages.conversationId");
        List<String> expected = new ArrayList<>();
        List.of(adaBob, adaCarol).stream().sorted().forEach(c -> {
            int n = c.equals(adaBob) ? 3 : 2;
            for (int i = 0; i < n; i++) {
                expected.add(c);
            }
        });
        assertThat(order).isEqualTo(expected);

        // Up to date: nothing is missing.
        sync(ada, Map.of("cursors", Map.of(adaBob, 3, adaCarol, 2))).statusCode(200)
                .body("messages", empty()).body("complete", equalTo(true));
        // A limit smaller than what is missing: incomplete, the cursors say where to go on.
        sync(ada, Map.of("cursors", Map.of(adaBob, 1, adaCarol, 2), "limit", 1)).statusCode(200)
                .body("messages.seq", equalTo(List.of(2)))
                .body("complete", equalTo(false))
                .body("cursors." + quoted(adaBob), equalTo(2));

        // Bob cannot sync Ada and Carol's conversation: it is left out, nothing of it is returned.
        sync(bob, Map.of("cursors", Map.of(adaCarol, 0))).statusCode(200)
                .body("messages.conversationId", org.hamcrest.Matchers.everyItem(equalTo(adaBob)))
                .body("cursors", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey(adaCarol)));
    }

    private static String quoted(String key) {
        return "'" + key + "'";
    }

    @Test
    void onlyParticipantsReadHistory() {
        User ada = newUser();
        User bob = newUser();
        User carol = newUser();
        String conversation = new TestMessages(messages, index, watermarks).write(ada.id(), bob.id(), 1, 5);

        history(bob, conversation, "").statusCode(200).body("messages.seq", equalTo(List.of(1, 2, 3, 4, 5)));
        history(carol, conversation, "").statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-participant"))
                .body("status", equalTo(403))
                .body("detail", containsString(conversation));
        // A 1:1 conversation of the caller's that has no messages yet is an empty page, not an error.
        String none = ConversationId.direct(UUID.fromString(carol.id()), UUID.fromString(ada.id())).value();
        history(carol, none, "").statusCode(200)
                .body("messages", empty()).body("hasOlder", equalTo(false));
        // Group membership is not known to this service yet: refused.
        history(carol, "g:" + UUID.randomUUID(), "").statusCode(403)
                .body("type", equalTo("urn:parley:problem:not-a-participant"));
        // Without a token.
        given().when().get("/v1/conversations/" + conversation + "/messages").then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
    }

    @Test
    void badHistoryParametersAreA400NamingTheField() {
        User ada = newUser();
        String mine = ConversationId.direct(UUID.fromString(ada.id()), UUID.randomUUID()).value();
        for (String limit : List.of("0", "-1", "201", "99999999999999999999", "ten")) {
            history(ada, mine, "?limit=" + limit).statusCode(400)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:parley:problem:validation-error"))
                    .body("errors.field", equalTo(List.of("limit")));
        }
        history(ada, mine, "?beforeSeq=10&afterSeq=2").statusCode(400)
                .body("errors.field", equalTo(List.of("beforeSeq", "afterSeq")));
        history(ada, mine, "?beforeSeq=0").statusCode(400).body("errors.field", equalTo(List.of("beforeSeq")));
        history(ada, mine, "?afterSeq=-1").statusCode(400).body("errors.field", equalTo(List.of("afterSeq")));
        history(ada, mine, "?afterSeq=9007199254740992").statusCode(400).body("errors.field", equalTo(List.of("afterSeq")));
        for (String id : List.of("nonsense", "dm:" + ada.id(), "g:not-a-uuid",
                // The larger id first is not the canonical form of any conversation.
                "dm:ffffffff-ffff-ffff-ffff-ffffffffffff:" + ada.id())) {
            history(ada, id, "").statusCode(400)
                    .contentType(PROBLEM_JSON)
                    .body("errors.field", hasItem("id"));
        }
    }

    @Test
    void badSyncBodiesAreA400AndChangeNothing() {
        User ada = newUser();
        String body = "/v1/me/sync";
        given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body("{\"cursors\": ").when().post(body).then().statusCode(400)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:parley:problem:malformed-body"));
        given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body("{\"cursor\": {}}").when().post(body).then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", equalTo(List.of("cursor")))
                .body("errors[0].message", containsString("not a field"));
        given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body("{\"cursors\": \"all\"}").when().post(body).then().statusCode(400)
                .body("errors.field", equalTo(List.of("cursors")));
        given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body("{\"limit\": \"ten\"}").when().post(body).then().statusCode(400)
                .body("errors.field", equalTo(List.of("limit")));
        for (int limit : List.of(0, -5, 501)) {
            sync(ada, Map.of("limit", limit)).statusCode(400).body("errors.field", equalTo(List.of("limit")));
        }
        sync(ada, Map.of("cursors", Map.of("dm:nope", 1))).statusCode(400)
                .body("errors.field", equalTo(List.of("cursors.dm:nope")));
        String mine = ConversationId.direct(UUID.fromString(ada.id()), UUID.randomUUID()).value();
        sync(ada, Map.of("cursors", Map.of(mine, -1))).statusCode(400)
                .body("errors.field", equalTo(List.of("cursors." + mine)));
        given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .when().post(body).then().statusCode(400)
                .body("errors.field", equalTo(List.of("body")));
        given().contentType("application/json").body("{}").when().post(body).then().statusCode(401)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
    }

    @Test
    void anOversizedBodyIsA413Problem() throws Exception {
        User ada = newUser();
        String huge = "{\"cursors\": {\"" + "x".repeat(300 * 1024) + "\": 1}}";
        // A plain client: RestAssured would log the whole body if the expectation failed.
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                                + io.restassured.RestAssured.port + "/v1/me/sync"))
                        .header("Authorization", "Bearer " + ada.token())
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(huge)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
        assertThat(response.body()).contains("urn:parley:problem:payload-too-large").contains("262144");
    }
}
