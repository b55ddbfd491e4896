package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.friends.FriendsApi;
import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.typing.TypingState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence and typing between library clients on the real stack (broker with the extension,
 * persistence-service, presence-bridge, Cassandra, Redis): the client announces itself as README "Presence"
 * says, follows its friends' presence, and sends and receives typing indicators.
 */
@Timeout(300)
class PresenceAndTypingTest {

    @TempDir
    Path dataDirs;

    private static void befriend(ChatStack stack, Credentials a, Credentials b) {
        FriendsApi friends = new FriendsApi(stack.rest());
        assertThat(friends.request(a, b.userId())).isEqualTo(FriendsApi.RequestStatus.pending);
        assertThat(friends.request(b, a.userId())).isEqualTo(FriendsApi.RequestStatus.friends);
    }

    @Test
    void aliceSeesBobOnlineWhenHisClientConnectsAndOfflineWithLastSeenWhenItCloses() {
        ChatStack stack = ChatStack.shared();
        Credentials alice = stack.newUser("alice", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        befriend(stack, alice, bob);
        RecordingListener aliceSees = new RecordingListener();
        try (ParleyClient aliceClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("alice")),
                alice, aliceSees)) {
            aliceClient.start();
            aliceClient.watchPresence(new FriendsApi(stack.rest()).list(alice).stream().map(FriendsApi.Friend::id).toList());
            await("Alice online").atMost(Duration.ofSeconds(60)).until(aliceClient::isCaughtUp);

            Instant bobStarted;
            Instant bobClosed;
            try (ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob,
                    new RecordingListener())) {
                bobStarted = Instant.now();
                bobClient.start();
                await("Alice sees Bob online").atMost(Duration.ofSeconds(30)).until(() -> aliceSees.lastPresenceOf(bob.userId()) != null
                        && aliceSees.lastPresenceOf(bob.userId()).status() == PresenceStatus.ONLINE);
                bobClosed = Instant.now();
            }
            await("Alice sees Bob offline").atMost(Duration.ofSeconds(30)).until(() ->
                    aliceSees.lastPresenceOf(bob.userId()).status() == PresenceStatus.OFFLINE);
            RecordingListener.Presence offline = aliceSees.lastPresenceOf(bob.userId());
            assertThat(offline.lastSeen()).as("last seen: when Bob's client left")
                    .isBetween(bobStarted, offline.reportedAt());
            assertThat(offline.lastSeen()).isAfterOrEqualTo(bobClosed.minusSeconds(1));
            System.out.printf("Bob's close → Alice's offline callback: %d ms%n",
                    Duration.between(bobClosed, offline.reportedAt()).toMillis());
        }
    }

    @Test
    void aStrangersPresenceIsNotReportedAndDoesNotStopTheClient() {
        ChatStack stack = ChatStack.shared();
        Credentials alice = stack.newUser("alice", "phone");
        Credentials stranger = stack.newUser("stranger", "phone");
        Credentials friend = stack.newUser("friend", "phone");
        befriend(stack, alice, friend);
        RecordingListener aliceSees = new RecordingListener();
        try (ParleyClient aliceClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("alice")),
                alice, aliceSees);
             ParleyClient strangerClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("stranger")),
                     stranger, new RecordingListener());
             ParleyClient friendClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("friend")),
                     friend, new RecordingListener())) {
            strangerClient.start();
            await().atMost(Duration.ofSeconds(60)).until(strangerClient::isCaughtUp);
            aliceClient.start();
            aliceClient.watchPresence(List.of(stranger.userId(), friend.userId()));
            friendClient.start();

            // The friend's presence arrives (after the stranger's refused subscription): the stranger's never does.
            await("Alice sees her friend online").atMost(Duration.ofSeconds(30))
                    .until(() -> aliceSees.lastPresenceOf(friend.userId()) != null);
            assertThat(aliceSees.lastPresenceOf(stranger.userId())).isNull();
            assertThat(aliceClient.state()).isEqualTo(ConnectionState.ONLINE);
        }
    }

    @Test
    void aliceTypingReachesBobsCallbackThrottledAndThePauseArrives() {
        ChatStack stack = ChatStack.shared();
        Credentials alice = stack.newUser("alice", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        RecordingListener aliceSees = new RecordingListener();
        RecordingListener bobSees = new RecordingListener();
        try (ParleyClient aliceClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("alice")),
                alice, aliceSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
            aliceClient.start();
            bobClient.start();
            await("both online").atMost(Duration.ofSeconds(60))
                    .until(() -> aliceClient.isCaughtUp() && bobClient.isCaughtUp());

            // A person typing calls typing() on every keystroke: the client sends one update per interval.
            Instant started = Instant.now();
            for (int keystroke = 0; keystroke < 30; keystroke++) {
                aliceClient.typing(Destination.user(bob.userId()), TypingState.TYPING);
            }
            aliceClient.typing(Destination.user(bob.userId()), TypingState.PAUSED);
            Duration burst = Duration.between(started, Instant.now());

            await("Bob sees Alice stop typing").atMost(Duration.ofSeconds(30))
                    .until(() -> !bobSees.typing.isEmpty()
                            && bobSees.typing.get(bobSees.typing.size() - 1).state() == TypingState.PAUSED);
            String conversation = ConversationId.direct(alice.userId(), bob.userId()).value();
            assertThat(bobSees.typing).allSatisfy(t -> {
                assertThat(t.from()).isEqualTo(alice.userId());
                assertThat(t.conversationId()).isEqualTo(conversation);
            });
            assertThat(bobSees.typing.get(0).state()).isEqualTo(TypingState.TYPING);
            // One typing per started 1.1 s of the burst (it takes milliseconds), then the pause.
            long intervals = burst.toMillis() / ParleyClient.TYPING_INTERVAL.toMillis() + 1;
            assertThat(bobSees.typing).hasSizeLessThanOrEqualTo((int) intervals + 1);
            assertThat(aliceSees.typing).as("the typist's own client is not told").isEmpty();
        }
    }
}
