package dev.parley.push.sender;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** How push-service reaches Firebase Cloud Messaging; documented in application.properties. */
@ConfigMapping(prefix = "parley.push")
public interface PushConfig {

    Firebase firebase();

    interface Firebase {

        /** A Firebase service-account JSON key; absent means log-only mode. */
        Optional<String> credentialsFile();

        /** The Firebase project; absent means the one named in the key. */
        Optional<String> projectId();
    }
}
