package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Envelope;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.InvalidTokenException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client refreshes its token before expiry (POST /v1/tokens/refresh) and carries on with the new one past
 * the old one's expiry; a refresh the service refuses stops it with AuthenticationFailed, once.
 *
 * <p>The shared stack's persistence-service issues tokens for an hour, so the client is opened with a token
 * that lives 20 s, made with the stack's token secret for the same device (what the service issues with
 * {@code parley.auth.token-lifetime=20s}); the broker accepts and expires it like any other.
 */
@Timeout(300)
class TokenRefreshTest {

    private static final Duration SHORT_LIFETIME = Duration.ofSeconds(20);

    @TempDir
    Path dataDirs;

    @Test
    void theClientKeepsSendingAndReceivingPastTheExpiryOfTheTokenItStartedWith() throws Exception {
        ChatStack stack = ChatStack.shared();
        Credentials session = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        Credentials original = shortLived(stack, session);
        // The service lets a device refresh only its newest token (the session's): the refresher trades that one,
        // as the service would the short one had it issued it.
        List<Credentials> askedWith = new CopyOnWriteArrayList<>();
        List<Instant> askedAt = new CopyOnWriteArrayList<>();
        ParleyClient.TokenRefresher refresher = current -> {
            askedWith.add(current);
            askedAt.add(Instant.now());
            return stack.accounts().refresh(session);
        };
        RecordingListener adaSees = new RecordingListener();
        RecordingListener bobSees = new RecordingListener();
        ClientConfig config = ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada")).withRefreshBefore(Duration.ofSeconds(10));
        String conversation = ConversationId.direct(session.userId(), bob.userId()).value();
        try (ParleyClient adaClient = ParleyClient.open(config, original, refresher, adaSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
            adaClient.start();
            bobClient.start();
            await("online with the short token").atMost(Duration.ofSeconds(15)).until(adaClient::isCaughtUp);

            await("refreshed").atMost(Duration.ofSeconds(30)).until(() -> !adaSees.refreshed.isEmpty());
            assertThat(askedWith).singleElement().extracting(Credentials::token).isEqualTo(original.token());
            assertThat(adaSees.refreshed.get(0).expiresAt()).isAfter(original.expiresAt());
            assertThat(askedAt.get(0)).as("refreshed before the expiry").isBefore(original.expiresAt());

            await("the original token has expired").atMost(SHORT_LIFETIME.plusSeconds(10))
                    .until(() -> Instant.now().isAfter(original.expiresAt().plusSeconds(2)));
            await("online past it").atMost(Duration.ofSeconds(30)).until(adaClient::isCaughtUp);
            assertThat(adaSees.states.stream().filter(s -> s == ConnectionState.CONNECTING).count())
                    .as("reconnected with the new token").isGreaterThanOrEqualTo(2);

            adaClient.send(Destination.user(bob.userId()), "after the expiry");
            await("Bob gets it").atMost(Duration.ofSeconds(30)).until(() -> bobSees.from(session.userId()).size() == 1);
            Envelope sent = bobSees.from(session.userId()).get(0);
            assertThat(sent.text()).isEqualTo("after the expiry");
            assertThat(sent.sentAt()).isAfter(original.expiresAt());
            bobClient.send(Destination.user(session.userId()), "and back");
            await("Ada gets the answer").atMost(Duration.ofSeconds(30)).until(() -> adaSees.from(bob.userId()).size() == 1);
            assertThat(adaSees.from(bob.userId()).get(0).sentAt()).isAfter(original.expiresAt());
            assertThat(adaClient.messages(conversation)).extracting(Envelope::text).containsExactly("after the expiry", "and back");
            assertThat(adaSees.stopCauses).isEmpty();
            assertThat(adaClient.credentials().token()).isNotEqualTo(original.token());
        }
    }

    @Test
    void aRefreshAnswered401StopsTheClientWithAuthenticationFailedWithoutRetrying() throws Exception {
        ChatStack stack = ChatStack.shared();
        Credentials session = stack.newUser("eve", "phone");
        // Not the device's newest token (another id): the service answers 401 session-ended, as after a logout.
        Credentials stale = shortLived(stack, session);
        AtomicInteger refreshes = new AtomicInteger();
        ParleyClient.TokenRefresher refresher = current -> {
            refreshes.incrementAndGet();
            return stack.accounts().refresh(current);
        };
        RecordingListener sees = new RecordingListener();
        ClientConfig config = ClientConfig.of(stack.mqtt(), dataDirs.resolve("eve"))
                .withRefreshBefore(SHORT_LIFETIME.minusSeconds(3));
        try (ParleyClient client = ParleyClient.open(config, stale, refresher, sees)) {
            client.start();

            await("stopped").atMost(Duration.ofSeconds(30)).until(() -> client.state() == ConnectionState.STOPPED);
            assertThat(sees.stopCauses).singleElement().isInstanceOf(ParleyException.AuthenticationFailed.class);
            assertThat(sees.refreshed).isEmpty();
            int states = sees.states.size();
            await("no retry").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> refreshes.get() == 1 && sees.states.size() == states);
        }
    }

    /** A token for the same device that lives {@link #SHORT_LIFETIME}, signed with the stack's secret. */
    private static Credentials shortLived(ChatStack stack, Credentials device) throws InvalidTokenException {
        AccessTokens tokens = new AccessTokens(stack.tokenSecret(), Clock.systemUTC());
        String token = tokens.issue(new ClientIdentity(device.userId(), device.deviceId()), SHORT_LIFETIME);
        return new Credentials(device.userId(), device.deviceId(), token, tokens.verify(token).expiresAt());
    }
}
