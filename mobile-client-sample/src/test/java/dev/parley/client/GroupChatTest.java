package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.groups.GroupsApi;
import dev.parley.client.outbox.Destination;
import dev.parley.client.receipts.Tick;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Groups from the library: made and left over REST, chatted in over MQTT, membership enforced at once. */
@Timeout(300)
class GroupChatTest {

    @TempDir
    Path dataDirs;

    @Test
    void aGroupMadeOverRestCarriesMessagesAndALeaverGetsNoMore() {
        ChatStack stack = ChatStack.shared();
        GroupsApi groups = new GroupsApi(stack.rest());
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "phone");
        Credentials cy = stack.newUser("cy", "phone");
        RecordingListener adaSees = new RecordingListener();
        RecordingListener bobSees = new RecordingListener();
        RecordingListener cySees = new RecordingListener();
        try (ParleyClient adaClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada")), ada, adaSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees);
             ParleyClient cyClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("cy")), cy, cySees)) {
            adaClient.start();
            bobClient.start();
            cyClient.start();
            await("all online and caught up").atMost(Duration.ofSeconds(60))
                    .until(() -> adaClient.isCaughtUp() && bobClient.isCaughtUp() && cyClient.isCaughtUp());

            UUID group = groups.create(ada, "Climbing", List.of(bob.userId(), cy.userId()));
            assertThat(groups.mine(bob)).extracting(GroupsApi.GroupInfo::id).containsExactly(group);
            await("bob hears of the group").atMost(Duration.ofSeconds(30))
                    .until(() -> bobSees.groupEvents.stream().anyMatch(e -> e.groupId().equals(group)));

            adaClient.send(Destination.group(group), "Saturday?");
            await("bob and cy get it").atMost(Duration.ofSeconds(30)).until(() ->
                    bobSees.from(ada.userId()).stream().anyMatch(m -> m.text().equals("Saturday?"))
                            && cySees.from(ada.userId()).stream().anyMatch(m -> m.text().equals("Saturday?")));

            groups.remove(bob, group, bob.userId());
            adaClient.send(Destination.group(group), "bob has left");
            await("cy gets the next one").atMost(Duration.ofSeconds(30))
                    .until(() -> cySees.from(ada.userId()).stream().anyMatch(m -> m.text().equals("bob has left")));
            await("bob is told he left").atMost(Duration.ofSeconds(30)).until(() -> bobSees.groupEvents.stream()
                    .anyMatch(e -> e.kind().equals("left") && bob.userId().equals(e.user())));
            assertThat(bobSees.from(ada.userId())).extracting(Envelope::text).doesNotContain("bob has left");

            bobClient.send(Destination.group(group), "wait");
            await("bob's send refused for good").atMost(Duration.ofSeconds(30)).until(() -> !bobSees.failures.isEmpty());
            assertThat(bobSees.failures.get(0).error()).isInstanceOf(ParleyException.NotAuthorized.class);
        }
    }

    @Test
    void myGroupMessageIsReadOnlyWhenEveryCurrentMemberReadIt() {
        ChatStack stack = ChatStack.shared();
        GroupsApi groups = new GroupsApi(stack.rest());
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "phone");
        Credentials cy = stack.newUser("cy", "phone");
        RecordingListener adaSees = new RecordingListener();
        RecordingListener bobSees = new RecordingListener();
        RecordingListener cySees = new RecordingListener();
        try (ParleyClient adaClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada"))
                .withRest(stack.rest()), ada, adaSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees);
             ParleyClient cyClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("cy")), cy, cySees)) {
            adaClient.start();
            bobClient.start();
            cyClient.start();
            await("all online and caught up").atMost(Duration.ofSeconds(60))
                    .until(() -> adaClient.isCaughtUp() && bobClient.isCaughtUp() && cyClient.isCaughtUp());
            UUID group = groups.create(ada, "Ticks", List.of(bob.userId(), cy.userId()));

            String clientMsgId = adaClient.send(Destination.group(group), "read by all?");
            await("bob and cy get it").atMost(Duration.ofSeconds(30)).until(() ->
                    bobSees.from(ada.userId()).stream().anyMatch(m -> clientMsgId.equals(m.clientMsgId()))
                            && cySees.from(ada.userId()).stream().anyMatch(m -> clientMsgId.equals(m.clientMsgId())));
            // (the group's creation, a system message from Ada too, may come before or after it)
            Envelope atBob = bobSees.from(ada.userId()).stream().filter(m -> clientMsgId.equals(m.clientMsgId()))
                    .findFirst().orElseThrow();
            await("delivered to every member").atMost(Duration.ofSeconds(30))
                    .until(() -> adaSees.ticksOf(clientMsgId).contains(Tick.DELIVERED));

            bobClient.markRead(atBob.conversationId(), atBob.seq());
            await("Ada hears that Bob read it").atMost(Duration.ofSeconds(30))
                    .until(() -> adaSees.heardRead(bob.userId(), atBob.seq()));
            assertThat(adaSees.ticksOf(clientMsgId)).as("Cy has not read it yet").doesNotContain(Tick.READ);
            Envelope mine = adaClient.messages(atBob.conversationId()).stream()
                    .filter(m -> clientMsgId.equals(m.clientMsgId())).findFirst().orElseThrow();
            assertThat(adaClient.tickOf(mine)).isEqualTo(Tick.DELIVERED);

            cyClient.markRead(atBob.conversationId(), atBob.seq());
            await("Ada hears that Cy read it").atMost(Duration.ofSeconds(30))
                    .until(() -> adaSees.heardRead(cy.userId(), atBob.seq()));
            await("read by all").atMost(Duration.ofSeconds(30)).until(() -> adaSees.ticksOf(clientMsgId).contains(Tick.READ));
            assertThat(adaSees.ticksOf(clientMsgId)).containsSubsequence(Tick.QUEUED, Tick.SENT, Tick.DELIVERED, Tick.READ);
            assertThat(adaClient.tickOf(mine)).isEqualTo(Tick.READ);
        }
    }
}
