package dev.parley.push.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real Admin SDK against a local endpoint that answers as FCM does. */
@Timeout(30)
class FirebasePushSenderTest {

    private FakeFcm fcm;
    private FirebasePushSender sender;

    @BeforeEach
    void start() {
        fcm = new FakeFcm();
        sender = new FirebasePushSender(fcm.app("firebase-push-sender-test"));
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        fcm.close();
    }

    @Test
    void anAcceptedPushReturnsFcmsMessageId() throws Exception {
        PushOutcome outcome = send("a-live-device-token");

        assertThat(outcome).isEqualTo(new PushOutcome.Accepted("projects/parley-test/messages/0:1234"));
        assertThat(fcm.requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/projects/parley-test/messages:send");
            assertThat(request.authorization()).isEqualTo("Bearer " + FakeFcm.ACCESS_TOKEN);
            assertThat(request.body())
                    .contains("\"token\":\"a-live-device-token\"")
                    .contains("\"title\":\"Ada\"")
                    .contains("\"body\":\"Hello there\"")
                    .contains("\"conversationId\":\"dm:a:b\"")
                    .contains("\"priority\":\"high\"");
        });
    }

    @Test
    void anUnregisteredTokenIsReportedForDeletion() throws Exception {
        assertThat(send(FakeFcm.GONE)).isInstanceOfSatisfying(PushOutcome.TokenInvalid.class,
                invalid -> assertThat(invalid.reason()).startsWith("UNREGISTERED"));
    }

    @Test
    void aRefusedMessageIsNotRetryable() throws Exception {
        assertThat(send(FakeFcm.BAD)).isInstanceOfSatisfying(PushOutcome.Failed.class, failed -> {
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.reason()).startsWith("INVALID_ARGUMENT");
        });
    }

    private PushOutcome send(String token) throws Exception {
        return sender.send(new PushNotification(token, "Ada", "Hello there", Map.of("conversationId", "dm:a:b")))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
