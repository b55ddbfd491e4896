package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.ConversationId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client refreshes its token before expiry (POST /v1/tokens/refresh) and carries on with the new one. */
@Timeout(300)
class TokenRefreshTest {

    @TempDir
    Path dataDirs;

    @Test
    void theTokenIsRefreshedBeforeItExpiresAndTheClientReconnectsWithIt() {
        ChatStack stack = ChatStack.shared();
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        RecordingListener adaSees = new RecordingListener();
        List<Credentials> refreshed = adaSees.refreshed;
        // Tokens live an hour: asking for a refresh when less than that minus 5 s is left means "5 s from now".
        Duration lifetime = Duration.between(Instant.now(), ada.expiresAt());
        ClientConfig config = ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada"))
                .withRefreshBefore(lifetime.minusSeconds(5));
        try (ParleyClient adaClient = ParleyClient.open(config, ada, stack.accounts()::refresh, adaSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob,
                     new RecordingListener())) {
            adaClient.start();
            bobClient.start();

            await("a refreshed token").atMost(Duration.ofSeconds(60)).until(() -> !refreshed.isEmpty());
            assertThat(refreshed.get(0).token()).isNotEqualTo(ada.token());
            assertThat(refreshed.get(0).expiresAt()).isAfter(ada.expiresAt());
            await("online again with it").atMost(Duration.ofSeconds(60)).until(adaClient::isCaughtUp);

            adaClient.send(Destination.user(bob.userId()), "still here");
            String conversation = ConversationId.direct(ada.userId(), bob.userId()).value();
            await("the message goes through").atMost(Duration.ofSeconds(30))
                    .until(() -> bobClient.messages(conversation).size() == 1);
            assertThat(adaSees.stopCauses).isEmpty();
        }
    }
}
