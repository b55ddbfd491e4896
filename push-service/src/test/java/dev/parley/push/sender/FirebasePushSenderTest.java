package dev.parley.push.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.devstack.testing.FakeFcm;
import dev.parley.push.testing.FakeFcmApps;
import java.time.Duration;
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
        sender = new FirebasePushSender(FakeFcmApps.app(fcm, "firebase-push-sender-test"));
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

        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Accepted.class,
                accepted -> assertThat(accepted.messageId()).startsWith("projects/parley-test/messages/"));
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
            assertThat(request.message().at("/android/collapse_key").asText()).isEqualTo("dm:a:b");
            assertThat(request.message().at("/android/notification/tag").asText()).isEqualTo("dm:a:b");
            assertThat(request.message().at("/android/notification/notification_count").asInt()).isEqualTo(3);
            assertThat(request.message().at("/apns/payload/aps/thread-id").asText()).isEqualTo("dm:a:b");
            assertThat(request.message().at("/apns/payload/aps/badge").asInt()).isEqualTo(3);
            assertThat(request.message().at("/apns/headers/apns-collapse-id").asText()).hasSizeLessThanOrEqualTo(64);
        });
    }

    @Test
    void anUnregisteredTokenIsReportedForDeletion() throws Exception {
        assertThat(send(FakeFcm.GONE)).isInstanceOfSatisfying(PushOutcome.TokenInvalid.class,
                invalid -> assertThat(invalid.reason()).startsWith("UNREGISTERED"));
    }

    @Test
    void anInvalidTokenIsReportedForDeletion() throws Exception {
        assertThat(send(FakeFcm.BAD)).isInstanceOfSatisfying(PushOutcome.TokenInvalid.class,
                invalid -> assertThat(invalid.reason()).startsWith("INVALID_ARGUMENT"));
    }

    @Test
    void quotaExceededIsAnOutageOfTheEndpointUntilFcmsRetryAfter() throws Exception {
        fcm.answer(request -> FakeFcm.Reply.quotaExceeded(7));
        assertThat(send("a-busy-device-token")).isInstanceOfSatisfying(PushOutcome.Unavailable.class, unavailable -> {
            assertThat(unavailable.reason()).startsWith("QUOTA_EXCEEDED");
            assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(7));
        });
        assertThat(fcm.requests).hasSize(1);
    }

    @Test
    void serviceUnavailableIsAnOutageOfTheEndpointOnceTheSdkHasRetriedIt() throws Exception {
        fcm.answer(request -> FakeFcm.Reply.unavailable(1));
        assertThat(send("a-device-token")).isInstanceOfSatisfying(PushOutcome.Unavailable.class, unavailable -> {
            assertThat(unavailable.reason()).startsWith("UNAVAILABLE");
            assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(1));
        });
        // The Admin SDK's own retries (4, after Retry-After each) come first: what a pause must allow for.
        assertThat(fcm.requests).hasSize(5);
    }

    @Test
    void anInternalErrorIsAFailureOfThisMessageWorthRetrying() throws Exception {
        fcm.answer(request -> FakeFcm.Reply.internal());
        assertThat(send("a-device-token")).isInstanceOfSatisfying(PushOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).startsWith("INTERNAL");
            assertThat(failed.retryable()).isTrue();
        });
        assertThat(fcm.requests).hasSize(1);
    }

    @Test
    void anEndpointThatIsDownIsUnreachableNotAFailureOfTheMessage() throws Exception {
        fcm.stop();
        assertThat(send("a-live-device-token")).isInstanceOf(PushOutcome.Unreachable.class);
    }

    private PushOutcome send(String token) throws Exception {
        return sender.send(new PushNotification(token, "Ada", "Hello there", Map.of("conversationId", "dm:a:b"),
                        "dm:a:b", 3))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
