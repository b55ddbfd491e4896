package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.groups.GroupsApi;
import dev.parley.client.outbox.Destination;
import dev.parley.client.receipts.GroupTicks;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad answers from the real servers reach the app as typed errors, and credentials are never retried forever. */
@Timeout(300)
class ServerRefusalsTest {

    @TempDir
    Path dataDirs;

    @Test
    void aWrongPasswordIsAuthenticationFailed() {
        ChatStack stack = ChatStack.shared();
        String handle = "eve_" + UUID.randomUUID().toString().substring(0, 8);
        stack.accounts().register(handle, "Eve", ChatStack.password(handle));

        assertThatThrownBy(() -> stack.accounts().login(handle, "not-the-password", "phone"))
                .isInstanceOf(ParleyException.AuthenticationFailed.class);
    }

    @Test
    void anExpiredTokenStopsTheClientWithAuthenticationFailedInsteadOfRetrying() {
        ChatStack stack = ChatStack.shared();
        Credentials fresh = stack.newUser("eve", "phone");
        // A token as persistence-service issued it two hours ago, valid for one: expired an hour ago.
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(2, ChronoUnit.HOURS), ZoneOffset.UTC);
        String expired = new AccessTokens(stack.tokenSecret(), twoHoursAgo)
                .issue(new ClientIdentity(fresh.userId(), fresh.deviceId()), Duration.ofHours(1));
        Credentials stale = new Credentials(fresh.userId(), fresh.deviceId(), expired, Instant.now().minus(1, ChronoUnit.HOURS));
        RecordingListener sees = new RecordingListener();
        try (ParleyClient client = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("eve")), stale, sees)) {
            client.start();

            await("stopped").atMost(Duration.ofSeconds(30)).until(() -> client.state() == ConnectionState.STOPPED);
            assertThat(sees.stopCauses).singleElement().isInstanceOf(ParleyException.AuthenticationFailed.class);
            int changes = sees.states.size();
            await("no further attempts").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> sees.states.size() == changes);
        }
    }

    @Test
    void sendingToAGroupOneIsNotInIsNotAuthorizedWithTheServersReason() {
        ChatStack stack = ChatStack.shared();
        Credentials owner = stack.newUser("olga", "phone");
        Credentials outsider = stack.newUser("mallory", "phone");
        UUID groupId = new GroupsApi(stack.rest()).create(owner, "members only", List.of());
        RecordingListener sees = new RecordingListener();
        try (ParleyClient client = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("mallory")), outsider, sees)) {
            client.start();

            String clientMsgId = client.send(Destination.group(groupId), "let me in");

            await("refused").atMost(Duration.ofSeconds(60)).until(() -> !sees.failures.isEmpty());
            RecordingListener.Failure failure = sees.failures.get(0);
            assertThat(failure.send().clientMsgId()).isEqualTo(clientMsgId);
            assertThat(failure.error()).isInstanceOf(ParleyException.NotAuthorized.class);
            assertThat(failure.error().getMessage()).isNotBlank();
            assertThat(client.outboxSize()).as("a refused send leaves the outbox").isZero();
        }
    }

    @Test
    void readingAGroupOneIsNotInOverRestIsNotAuthorizedWithTheServersReason() {
        ChatStack stack = ChatStack.shared();
        GroupsApi groups = new GroupsApi(stack.rest());
        Credentials owner = stack.newUser("olga", "phone");
        Credentials outsider = stack.newUser("mallory", "phone");
        UUID groupId = groups.create(owner, "members only", List.of());

        assertThatThrownBy(() -> groups.members(outsider, groupId))
                .isInstanceOf(ParleyException.NotAuthorized.class)
                .hasMessageContaining("member");
        assertThatThrownBy(() -> groups.add(outsider, groupId, outsider.userId()))
                .isInstanceOf(ParleyException.NotAuthorized.class);
        assertThat(groups.members(owner, groupId)).extracting(GroupTicks.Member::userId).containsExactly(owner.userId());
    }

    @Test
    void anUnknownRecipientAndAnInvalidTextAreTypedToo() {
        ChatStack stack = ChatStack.shared();
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "phone");
        RecordingListener sees = new RecordingListener();
        try (ParleyClient client = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada")), ada, sees)) {
            assertThatThrownBy(() -> client.send(Destination.user(UUID.randomUUID()), "   "))
                    .isInstanceOf(ParleyException.InvalidMessage.class);
            client.start();

            client.send(Destination.user(UUID.randomUUID()), "anyone there?");
            client.send(Destination.user(bob.userId()), "a bell \u0007 is not text");

            await("both refused").atMost(Duration.ofSeconds(60)).until(() -> sees.failures.size() == 2);
            assertThat(sees.failures).extracting(RecordingListener.Failure::error)
                    .hasExactlyElementsOfTypes(ParleyException.UnknownConversation.class, ParleyException.InvalidMessage.class);
            assertThat(client.outboxSize()).isZero();
        }
    }
}
