package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.groups.GroupsApi;
import dev.parley.client.messages.MessageStore;
import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Envelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up on its own: the device comes back to a broker that no longer has its session (expired, removed,
 * or another node), so nothing was queued for it and what was sent meanwhile can only come through catch-up
 * — asked from the last seq the device holds.
 */
@Timeout(300)
class CatchUpAfterSessionLossTest {

    @TempDir
    Path dataDirs;

    @Test
    void messagesSentWhileTheSessionWasGoneArriveThroughCatchUpFromTheLastSeqHeld() throws Exception {
        ChatStack stack = ChatStack.shared();
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "phone");
        String conversation = ConversationId.direct(ada.userId(), bob.userId()).value();
        Path bobData = dataDirs.resolve("bob");
        try (ParleyClient adaClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada")), ada,
                new RecordingListener())) {
            adaClient.start();
            try (ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), bobData), bob, new RecordingListener())) {
                bobClient.start();
                await("both online").atMost(Duration.ofSeconds(60)).until(() -> adaClient.isCaughtUp() && bobClient.isCaughtUp());
                for (int i = 0; i < 3; i++) {
                    adaClient.send(Destination.user(bob.userId()), "before " + i);
                }
                await("Bob holds the first three").atMost(Duration.ofSeconds(30))
                        .until(() -> bobClient.messages(conversation).size() == 3);
            }
            removeSession(stack, bob);

            List<String> meanwhile = IntStream.range(0, 30).mapToObj(i -> "meanwhile " + i).toList();
            meanwhile.forEach(text -> adaClient.send(Destination.user(bob.userId()), text));
            await("Ada's sends stored").atMost(Duration.ofSeconds(60)).until(() -> adaClient.outboxSize() == 0);
            assertThat(sessionPresent(stack, bob)).as("no broker session queued them for Bob's device").isFalse();

            RecordingListener bobSees = new RecordingListener();
            try (ParleyClient bobAgain = ParleyClient.open(ClientConfig.of(stack.mqtt(), bobData), bob, bobSees)) {
                bobAgain.start();
                await("caught up").atMost(Duration.ofSeconds(60))
                        .until(() -> bobAgain.isCaughtUp() && bobAgain.messages(conversation).size() == 33);

                assertThat(bobSees.catchUpRequests.get(0)).as("asked from the last seq held")
                        .isEqualTo(Map.of(conversation, 3L));
                assertThat(bobSees.messages).extracting(Envelope::text).as("each once, in order, as they arrived")
                        .containsExactlyElementsOf(meanwhile);
                assertThat(bobAgain.messages(conversation)).extracting(Envelope::seq)
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 33).mapToObj(Long::valueOf).toList());
            }
        }
    }

    /**
     * A group member's device holds a later message of the group (a live delivery that came before the catch-up
     * page) and not the ones between the join and it: catch-up must still bring those, and never the ones from
     * before the join. With the roster (REST) the device learns where its history starts and asks exactly from
     * there the next time.
     */
    @Test
    void aGroupMessageHeldAheadOfTheEarlierOnesDoesNotMakeCatchUpSkipThem() throws Exception {
        ChatStack stack = ChatStack.shared();
        GroupsApi groups = new GroupsApi(stack.rest());
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "phone");
        Path bobData = dataDirs.resolve("bob");
        try (ParleyClient adaClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada")), ada,
                new RecordingListener())) {
            adaClient.start();
            await("Ada online").atMost(Duration.ofSeconds(60)).until(adaClient::isCaughtUp);
            UUID group = groups.create(ada, "Late joiners", List.of());
            String conversation = ConversationId.group(group).value();
            adaClient.send(Destination.group(group), "before Bob");
            await("stored").atMost(Duration.ofSeconds(30)).until(() -> adaClient.outboxSize() == 0);
            groups.add(ada, group, bob.userId());
            long joinedAfter = groups.members(ada, group).stream().filter(m -> m.userId().equals(bob.userId()))
                    .findFirst().orElseThrow().joinedAfterSeq();

            List<String> afterJoin = IntStream.range(0, 6).mapToObj(i -> "after join " + i).toList();
            afterJoin.forEach(text -> adaClient.send(Destination.group(group), text));
            await("Ada holds her last one").atMost(Duration.ofSeconds(60)).until(() -> adaClient.messages(conversation)
                    .stream().anyMatch(m -> "after join 5".equals(m.text())));
            Envelope last = heldAs(adaClient, conversation, "after join 5");
            try (MessageStore bobStore = MessageStore.open(bobData.resolve("messages"))) {
                bobStore.add(last); // the live delivery that overtook the catch-up
            }

            RecordingListener bobSees = new RecordingListener();
            ClientConfig bobConfig = ClientConfig.of(stack.mqtt(), bobData).withRest(stack.rest());
            try (ParleyClient bobClient = ParleyClient.open(bobConfig, bob, bobSees)) {
                bobClient.start();
                await("caught up with the group").atMost(Duration.ofSeconds(60)).until(() -> bobClient.isCaughtUp()
                        && bobClient.messages(conversation).stream().filter(m -> m.event() == null).count() == afterJoin.size());
                assertThat(bobSees.catchUpRequests.get(0)).as("not from the seq held, which would skip the ones before it")
                        .containsEntry(conversation, 0L);
                assertThat(bobClient.messages(conversation)).extracting(Envelope::seq)
                        .allMatch(seq -> seq > joinedAfter).doesNotHaveDuplicates();
                assertThat(bobClient.messages(conversation).stream().filter(m -> m.event() == null).map(Envelope::text))
                        .containsExactlyElementsOf(afterJoin);
                await("the floor learnt from the roster").atMost(Duration.ofSeconds(30)).until(() ->
                        Files.exists(bobData.resolve("messages/group-floors.properties"))
                                && Files.readString(bobData.resolve("messages/group-floors.properties"), StandardCharsets.UTF_8)
                                .contains("=" + joinedAfter));
            }
            removeSession(stack, bob);

            // Again a later one held ahead of two it lacks: now asked from the end of the run after the join.
            long heldUpTo = adaClient.messages(conversation).get(adaClient.messages(conversation).size() - 1).seq();
            List<String> more = List.of("more 0", "more 1", "more 2");
            more.forEach(text -> adaClient.send(Destination.group(group), text));
            await("stored").atMost(Duration.ofSeconds(60)).until(() -> adaClient.messages(conversation).stream()
                    .anyMatch(m -> "more 2".equals(m.text())));
            try (MessageStore bobStore = MessageStore.open(bobData.resolve("messages"))) {
                bobStore.add(heldAs(adaClient, conversation, "more 2"));
            }
            RecordingListener bobSeesAgain = new RecordingListener();
            try (ParleyClient bobClient = ParleyClient.open(bobConfig, bob, bobSeesAgain)) {
                bobClient.start();
                await("caught up again").atMost(Duration.ofSeconds(60)).until(() -> bobClient.isCaughtUp()
                        && bobClient.messages(conversation).stream().filter(m -> m.event() == null).count() == 9);
                assertThat(bobSeesAgain.catchUpRequests.get(0)).containsEntry(conversation, heldUpTo);
                assertThat(bobSeesAgain.messages).extracting(Envelope::text).containsExactly("more 0", "more 1");
            }
        }
    }

    private static Envelope heldAs(ParleyClient client, String conversation, String text) {
        return client.messages(conversation).stream().filter(m -> text.equals(m.text())).findFirst().orElseThrow();
    }

    /** Ends the device's broker session for good (clean start, no expiry): nothing is queued for it any more. */
    private static void removeSession(ChatStack stack, Credentials device) throws MqttException {
        MqttClient client = new MqttClient(stack.mqtt().toString(), device.clientId(), new MemoryPersistence());
        MqttConnectionOptions options = options(device);
        options.setCleanStart(true);
        client.connect(options);
        client.disconnect();
        client.close();
    }

    /** Whether the broker holds a session for the device (asked without keeping one). */
    private static boolean sessionPresent(ChatStack stack, Credentials device) throws MqttException {
        MqttClient client = new MqttClient(stack.mqtt().toString(), device.clientId(), new MemoryPersistence());
        MqttConnectionOptions options = options(device);
        options.setCleanStart(false);
        boolean present = client.connectWithResult(options).getSessionPresent();
        client.disconnect();
        client.close();
        return present;
    }

    private static MqttConnectionOptions options(Credentials device) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSessionExpiryInterval(0L);
        options.setUserName(device.userId().toString());
        options.setPassword(device.token().getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(false);
        return options;
    }
}
