package dev.parley.persistence.conversations;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.parley.persistence.conversations.HistoryAndSyncTest.User;
import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import dev.parley.store.messages.Watermarks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
class ConversationListAndGroupsTest {

    @Inject
    MessageStore messages;
    @Inject
    ConversationIndex index;
    @Inject
    Watermarks watermarks;
    @Inject
    GroupStore groups;

    private static ValidatableResponse get(User user, String path) {
        return given().header("Authorization", "Bearer " + user.token()).when().get(path).then();
    }

    @Test
    void theChatListHasLastMessageUnreadCountAndWatermarksAndOnlyYourConversations() {
        User ada = HistoryAndSyncTest.newUser();
        User bob = HistoryAndSyncTest.newUser();
        User carol = HistoryAndSyncTest.newUser();
        TestMessages store = new TestMessages(messages, index, watermarks);
        String adaBob = store.write(ada.id(), bob.id(), 1, 7);
        store.delivered(adaBob, bob.id(), 7);
        store.read(adaBob, bob.id(), 4);
        store.read(adaBob, ada.id(), 7);

        get(bob, "/v1/me/conversations").statusCode(200)
                .body("$", hasSize(1))
                .body("[0].conversationId", equalTo(adaBob))
                .body("[0].peer", equalTo(ada.id()))
                .body("[0].lastSeq", equalTo(7))
                .body("[0].lastMessage.seq", equalTo(7))
                .body("[0].lastMessage.text", equalTo("message 7"))
                .body("[0].lastMessage.from", equalTo(ada.id()))
                .body("[0].unreadCount", equalTo(3))
                .body("[0].receipts.find { it.userId == '" + bob.id() + "' }.deliveredUpToSeq", equalTo(7))
                .body("[0].receipts.find { it.userId == '" + bob.id() + "' }.readUpToSeq", equalTo(4))
                .body("[0].receipts.find { it.userId == '" + ada.id() + "' }.readUpToSeq", equalTo(7))
                .body("[0].receipts.find { it.userId == '" + ada.id() + "' }.deliveredUpToSeq", equalTo(0));
        get(ada, "/v1/me/conversations").statusCode(200)
                .body("[0].unreadCount", equalTo(0));
        // A read watermark ahead of the head (a racing receipt) never makes the count negative.
        store.read(adaBob, ada.id(), 9);
        get(ada, "/v1/me/conversations").statusCode(200).body("[0].unreadCount", equalTo(0));
        // Carol sees none of it.
        get(carol, "/v1/me/conversations").statusCode(200).body("$", empty());
        given().when().get("/v1/me/conversations").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void groupMembersReadWhatWasSentSinceTheyJoinedAndOthersAreRefused() {
        User ada = HistoryAndSyncTest.newUser();
        User bob = HistoryAndSyncTest.newUser();
        User carol = HistoryAndSyncTest.newUser();
        UUID groupId = UUID.randomUUID();
        Instant now = Instant.now();
        // Ada created the group before any message; Bob joined after seq 3.
        groups.create(new GroupStore.Group(groupId, "tea", null, UUID.fromString(ada.id()), now), List.of(
                new GroupStore.Member(UUID.fromString(ada.id()), GroupStore.Role.admin, now, 0, null),
                new GroupStore.Member(UUID.fromString(bob.id()), GroupStore.Role.member, now, 3,
                        UUID.fromString(ada.id())))).toCompletableFuture().join();
        String group = new TestMessages(messages, index, watermarks).writeGroup(groupId, ada.id(), 1, 5);
        // A system message takes the next seq, as the broker stores it.
        String joined = "{\"groupId\":\"" + groupId + "\",\"kind\":\"joined\",\"user\":\"" + carol.id()
                + "\",\"actor\":\"" + carol.id() + "\",\"rosterVersion\":2,\"at\":\"2026-02-01T00:00:01Z\"}";
        messages.append(new StoredMessage(UUID.randomUUID(), group, 6, UUID.fromString(carol.id()), null, groupId, "",
                "system-" + UUID.randomUUID(), Instant.parse("2026-02-01T00:00:01Z"), joined), 1)
                .toCompletableFuture().join();

        get(ada, "/v1/conversations/" + group + "/messages").statusCode(200)
                .body("messages.seq", contains(1, 2, 3, 4, 5, 6))
                .body("messages[0].groupId", equalTo(groupId.toString()))
                .body("messages[0].to", nullValue())
                .body("messages[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("event")))
                .body("messages[5].event.kind", equalTo("joined"))
                .body("messages[5].event.user", equalTo(carol.id()))
                .body("messages[5].text", equalTo(""));
        get(bob, "/v1/conversations/" + group + "/messages").statusCode(200)
                .body("messages.seq", contains(4, 5, 6))
                .body("hasOlder", equalTo(false));
        get(bob, "/v1/conversations/" + group + "/messages?afterSeq=0").statusCode(200)
                .body("messages.seq", contains(4, 5, 6));
        get(bob, "/v1/conversations/" + group + "/messages?beforeSeq=4").statusCode(200)
                .body("messages", empty());
        get(carol, "/v1/conversations/" + group + "/messages").statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:parley:problem:not-a-participant"));

        given().header("Authorization", "Bearer " + bob.token()).contentType("application/json")
                .body(Map.of("cursors", Map.of())).when().post("/v1/me/sync").then().statusCode(200)
                .body("messages.seq", contains(4, 5, 6))
                .body("cursors.'" + group + "'", equalTo(6));
        given().header("Authorization", "Bearer " + carol.token()).contentType("application/json")
                .body(Map.of("cursors", Map.of(group, 0))).when().post("/v1/me/sync").then().statusCode(200)
                .body("messages", empty());

        get(bob, "/v1/me/conversations").statusCode(200)
                .body("[0].conversationId", equalTo(group))
                .body("[0].groupId", equalTo(groupId.toString()))
                .body("[0].unreadCount", equalTo(3))
                .body("[0].lastMessage.seq", equalTo(6))
                .body("[0].lastMessage.event.kind", equalTo("joined"));
    }

    @Test
    void theSenderAsksWhoHasReadMessageNAndGetsReadDeliveredAndWaiting() {
        User ada = HistoryAndSyncTest.newUser();
        User bob = HistoryAndSyncTest.newUser();
        User carol = HistoryAndSyncTest.newUser();
        User dave = HistoryAndSyncTest.newUser();
        User stranger = HistoryAndSyncTest.newUser();
        UUID groupId = UUID.randomUUID();
        Instant now = Instant.now();
        // Dave joined after seq 3: message 2 was never his to receive.
        groups.create(new GroupStore.Group(groupId, "readers", null, UUID.fromString(ada.id()), now), List.of(
                new GroupStore.Member(UUID.fromString(ada.id()), GroupStore.Role.admin, now, 0, null),
                new GroupStore.Member(UUID.fromString(bob.id()), GroupStore.Role.member, now, 0, null),
                new GroupStore.Member(UUID.fromString(carol.id()), GroupStore.Role.member, now, 0, null),
                new GroupStore.Member(UUID.fromString(dave.id()), GroupStore.Role.member, now, 3, null)))
                .toCompletableFuture().join();
        TestMessages store = new TestMessages(messages, index, watermarks);
        String group = store.writeGroup(groupId, ada.id(), 1, 5);
        store.read(group, bob.id(), 4);
        store.delivered(group, bob.id(), 5);
        store.delivered(group, carol.id(), 2);

        get(ada, "/v1/conversations/" + group + "/messages/2/receipts").statusCode(200)
                .body("conversationId", equalTo(group))
                .body("seq", equalTo(2))
                .body("from", equalTo(ada.id()))
                .body("readBy", contains(bob.id()))
                .body("deliveredTo", contains(carol.id()))
                .body("waitingFor", empty());
        get(ada, "/v1/conversations/" + group + "/messages/5/receipts").statusCode(200)
                .body("readBy", empty())
                .body("deliveredTo", contains(bob.id()))
                .body("waitingFor", org.hamcrest.Matchers.containsInAnyOrder(carol.id(), dave.id()));

        String direct = store.write(ada.id(), bob.id(), 1, 3);
        store.read(direct, bob.id(), 3);
        get(ada, "/v1/conversations/" + direct + "/messages/3/receipts").statusCode(200)
                .body("readBy", contains(bob.id()));

        get(stranger, "/v1/conversations/" + group + "/messages/2/receipts").statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:parley:problem:not-a-participant"));
        get(dave, "/v1/conversations/" + group + "/messages/2/receipts").statusCode(404)
                .contentType("application/problem+json");
        get(ada, "/v1/conversations/" + group + "/messages/99/receipts").statusCode(404);
        get(ada, "/v1/conversations/" + group + "/messages/0/receipts").statusCode(400)
                .body("errors[0].field", equalTo("seq"));
        get(ada, "/v1/conversations/not-an-id/messages/1/receipts").statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }
}
