package dev.parley.push.sender;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything push-service is configured with under {@code parley.push}; documented in application.properties. */
@ConfigMapping(prefix = "parley.push")
public interface PushConfig {

    Firebase firebase();

    Notification notification();

    Jobs jobs();

    Retry retry();

    interface Firebase {

        /** A Firebase service-account JSON key; absent means log-only mode. */
        Optional<String> credentialsFile();

        /** The Firebase project; absent means the one named in the key. */
        Optional<String> projectId();

        /**
         * Where FCM requests go instead of {@code https://fcm.googleapis.com} (scheme, host and port; the
         * path stays FCM's): an egress gateway, or a local FCM v1 stand-in in tests. Absent means FCM itself.
         */
        Optional<String> endpoint();
    }

    interface Notification {

        /** Whether the notification shows the first 80 characters of the message; off for privacy. */
        @WithDefault("true")
        boolean preview();

        /** The notification's text when {@link #preview()} is off. */
        @WithDefault("New message")
        String hiddenPreviewText();
    }

    interface Jobs {

        /** This instance's consumer name in the consumer group; absent means host name and process id. */
        Optional<String> consumerName();

        /** Jobs read per XREADGROUP. */
        @WithDefault("50")
        int batchSize();

        /** Jobs being worked on at once by this instance (reading pauses at this many). */
        @WithDefault("200")
        int maxInFlight();

        /** A job another consumer has held this long without acknowledging it is taken over (XAUTOCLAIM). */
        @WithDefault("60s")
        Duration claimIdle();

        /** How often to look for such jobs, and to tell Redis this instance's own jobs are still alive. */
        @WithDefault("10s")
        Duration claimInterval();

        /**
         * A job for a message older than this is acknowledged without a push: the news is stale. A
         * notification still waiting (FCM unavailable, or between retries) when its message gets this old
         * is dead-lettered, so nothing waits forever.
         */
        @WithDefault("24h")
        Duration maxAge();

        /** How long a sent (message, token) pair is remembered, so that it is never sent twice. */
        @WithDefault("168h")
        Duration duplicateWindow();
    }

    interface Retry {

        /**
         * A notification that fails on its own (500 INTERNAL) is tried this many times in all, then
         * dead-lettered. FCM unavailable as a whole (503, 429, unreachable) pauses every send instead and
         * uses up no attempt.
         */
        @WithDefault("5")
        int maxAttempts();

        /**
         * Wait before the first retry, and the first pause while FCM is unavailable; doubled for each
         * further one, unless FCM's Retry-After is longer.
         */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The longest wait between two attempts, and between two probes while FCM is unavailable. */
        @WithDefault("60s")
        Duration maxBackoff();
    }
}
