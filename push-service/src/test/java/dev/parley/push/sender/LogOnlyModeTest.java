package dev.parley.push.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.push.testing.PushServiceTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With no Firebase key configured (as in application.properties), the service only logs pushes. */
@QuarkusTest
@WithTestResource(value = PushServiceTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class LogOnlyModeTest {

    @Inject
    PushSender sender;

    @Test
    void withoutCredentialsPushesAreLoggedNotSent() throws Exception {
        assertThat(sender).isInstanceOf(LogOnlyPushSender.class);

        PushOutcome outcome = sender.send(new PushNotification("device-token-abcdef", "Ada", "Hello there",
                Map.of("conversationId", "dm:a:b"), "dm:a:b", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new PushOutcome.Logged());
    }
}
