package dev.parley.push.sender;

import java.util.concurrent.CompletionStage;

/**
 * Sends a push notification to one device. Asynchronous so that a slow FCM never holds the thread
 * that consumes push jobs; the stage never completes exceptionally, every failure is an
 * {@link PushOutcome}. Which implementation runs is decided once, at startup ({@link PushSenderProducer}).
 */
public interface PushSender {

    CompletionStage<PushOutcome> send(PushNotification notification);
}
