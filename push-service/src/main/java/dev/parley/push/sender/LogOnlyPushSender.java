package dev.parley.push.sender;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Development and test stand-in for FCM: logs each push instead of sending it. It logs neither the
 * whole token nor the text, which are a device credential and a private message.
 */
final class LogOnlyPushSender implements PushSender {

    private static final Logger LOG = Logger.getLogger(LogOnlyPushSender.class);

    @Override
    public CompletionStage<PushOutcome> send(PushNotification notification) {
        LOG.infof("Push not sent (log-only mode): to device ...%s, title '%s', %d characters of text, data %s",
                tail(notification.deviceToken()), notification.title(), notification.body().codePointCount(0,
                        notification.body().length()), notification.data().keySet());
        return CompletableFuture.completedFuture(new PushOutcome.Logged());
    }

    private static String tail(String token) {
        return token.length() <= 6 ? token : token.substring(token.length() - 6);
    }
}
