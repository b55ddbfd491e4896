package dev.parley.push.sender;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends through Firebase Cloud Messaging (HTTP v1 API) with the Admin SDK's asynchronous call. */
public final class FirebasePushSender implements PushSender, AutoCloseable {

    private final FirebaseApp app;
    private final FirebaseMessaging messaging;

    /** @throws IllegalArgumentException when the app has no project id (neither configured nor in its key) */
    public FirebasePushSender(FirebaseApp app) {
        this.app = app;
        this.messaging = FirebaseMessaging.getInstance(app);
    }

    @Override
    public CompletionStage<PushOutcome> send(PushNotification notification) {
        CompletableFuture<PushOutcome> outcome = new CompletableFuture<>();
        ApiFutures.addCallback(messaging.sendAsync(message(notification)), new ApiFutureCallback<>() {
            @Override
            public void onSuccess(String messageId) {
                outcome.complete(new PushOutcome.Accepted(messageId));
            }

            @Override
            public void onFailure(Throwable failure) {
                outcome.complete(classify(failure));
            }
        }, Runnable::run);
        return outcome;
    }

    static Message message(PushNotification notification) {
        return Message.builder()
                .setToken(notification.deviceToken())
                .setNotification(Notification.builder()
                        .setTitle(notification.title())
                        .setBody(notification.body())
                        .build())
                .putAllData(notification.data())
                .setAndroidConfig(AndroidConfig.builder()
                        // A chat message is what high priority is for: Android may otherwise hold it back
                        // while the device dozes. (APNs alerts are already sent at priority 10.)
                        .setPriority(AndroidConfig.Priority.HIGH)
                        // Collapse key: FCM keeps only the newest of a thread for a device that is offline.
                        .setCollapseKey(notification.thread())
                        .setNotification(AndroidNotification.builder()
                                // Tag: the newest notification of a thread replaces the one in the tray.
                                .setTag(notification.thread())
                                .setNotificationCount(notification.badge())
                                .build())
                        .build())
                .setApnsConfig(ApnsConfig.builder()
                        // APNs collapse ids are limited to 64 bytes; a conversation id can be longer.
                        .putHeader("apns-collapse-id", UUID.nameUUIDFromBytes(
                                notification.thread().getBytes(StandardCharsets.UTF_8)).toString())
                        .setAps(Aps.builder()
                                .setThreadId(notification.thread())
                                .setBadge(notification.badge())
                                .setSound("default")
                                .build())
                        .build())
                .build();
    }

    /** FCM's error codes, sorted into what the caller must do about them. */
    static PushOutcome classify(Throwable failure) {
        if (!(failure instanceof FirebaseMessagingException e)) {
            return new PushOutcome.Failed(failure.toString(), true);
        }
        MessagingErrorCode fcm = e.getMessagingErrorCode();
        String reason = (fcm != null ? fcm : e.getErrorCode()) + ": " + e.getMessage();
        IncomingHttpResponse response = e.getHttpResponse();
        if (response == null) {
            // No HTTP answer at all: the SDK wraps the I/O failure (refused, reset, timed out).
            return new PushOutcome.Unreachable(reason);
        }
        Optional<Duration> retryAfter = retryAfter(response);
        if (fcm != null) {
            return switch (fcm) {
                // The token is dead, or belongs to another Firebase project: it will never work again.
                // INVALID_ARGUMENT: FCM's token management guide counts it as an invalid token once the
                // payload is known to be valid, which ours is (built here, covered by tests).
                case UNREGISTERED, SENDER_ID_MISMATCH, INVALID_ARGUMENT -> new PushOutcome.TokenInvalid(reason);
                // The endpoint is down or throttles the whole project: not this message's fault.
                case QUOTA_EXCEEDED, UNAVAILABLE -> new PushOutcome.Unavailable(reason, retryAfter);
                case INTERNAL -> new PushOutcome.Failed(reason, true, retryAfter);
                // APNs credentials missing in the Firebase project: operator work.
                case THIRD_PARTY_AUTH_ERROR -> new PushOutcome.Failed(reason, false);
            };
        }
        ErrorCode code = e.getErrorCode();
        if (code == ErrorCode.UNAVAILABLE || code == ErrorCode.RESOURCE_EXHAUSTED || code == ErrorCode.DEADLINE_EXCEEDED) {
            // 503, 429, 504 without FCM's error details: a gateway or Google's front end, not the message.
            return new PushOutcome.Unavailable(reason, retryAfter);
        }
        boolean retryable = code == ErrorCode.INTERNAL || code == ErrorCode.UNKNOWN;
        return new PushOutcome.Failed(reason, retryable, retryAfter);
    }

    /** FCM's Retry-After: delay-seconds or an HTTP date. */
    static Optional<Duration> retryAfter(IncomingHttpResponse response) {
        Object header = response.getHeaders().get("retry-after");
        if (header instanceof List<?> values) {
            header = values.isEmpty() ? null : values.get(0);
        }
        if (header == null) {
            return Optional.empty();
        }
        String value = header.toString().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        app.delete();
    }
}
