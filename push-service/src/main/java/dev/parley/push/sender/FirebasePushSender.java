package dev.parley.push.sender;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends through Firebase Cloud Messaging (HTTP v1 API) with the Admin SDK's asynchronous call. */
final class FirebasePushSender implements PushSender, AutoCloseable {

    private final FirebaseApp app;
    private final FirebaseMessaging messaging;

    /** @throws IllegalArgumentException when the app has no project id (neither configured nor in its key) */
    FirebasePushSender(FirebaseApp app) {
        this.app = app;
        this.messaging = FirebaseMessaging.getInstance(app);
    }

    @Override
    public CompletionStage<PushOutcome> send(PushNotification notification) {
        Message message = Message.builder()
                .setToken(notification.deviceToken())
                .setNotification(Notification.builder()
                        .setTitle(notification.title())
                        .setBody(notification.body())
                        .build())
                .putAllData(notification.data())
                // A chat message is what high priority is for: Android may otherwise hold it back
                // while the device dozes. (APNs alerts are already sent at priority 10.)
                .setAndroidConfig(AndroidConfig.builder().setPriority(AndroidConfig.Priority.HIGH).build())
                .build();
        CompletableFuture<PushOutcome> outcome = new CompletableFuture<>();
        ApiFutures.addCallback(messaging.sendAsync(message), new ApiFutureCallback<>() {
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

    /** FCM's error codes, sorted into what the caller must do about them. */
    static PushOutcome classify(Throwable failure) {
        if (!(failure instanceof FirebaseMessagingException e)) {
            return new PushOutcome.Failed(failure.toString(), true);
        }
        MessagingErrorCode fcm = e.getMessagingErrorCode();
        String reason = (fcm != null ? fcm : e.getErrorCode()) + ": " + e.getMessage();
        if (fcm != null) {
            return switch (fcm) {
                // The token is dead, or belongs to another Firebase project: it will never work again.
                case UNREGISTERED, SENDER_ID_MISMATCH -> new PushOutcome.TokenInvalid(reason);
                case QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL -> new PushOutcome.Failed(reason, true);
                // A malformed message, or APNs credentials missing in the Firebase project: operator work.
                case INVALID_ARGUMENT, THIRD_PARTY_AUTH_ERROR -> new PushOutcome.Failed(reason, false);
            };
        }
        ErrorCode code = e.getErrorCode();
        boolean retryable = code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL
                || code == ErrorCode.DEADLINE_EXCEEDED || code == ErrorCode.RESOURCE_EXHAUSTED
                || code == ErrorCode.UNKNOWN; // UNKNOWN: the SDK's code for I/O failures
        return new PushOutcome.Failed(reason, retryable);
    }

    @Override
    public void close() {
        app.delete();
    }
}
