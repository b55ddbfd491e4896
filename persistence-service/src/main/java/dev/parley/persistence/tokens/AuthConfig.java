package dev.parley.persistence.tokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Accounts and access tokens. Meanings and defaults are in {@code application.properties}; every key
 * can be overridden with {@code -Dparley.auth.…} or {@code PARLEY_AUTH_…}.
 */
@ConfigMapping(prefix = "parley.auth")
public interface AuthConfig {

    /** Path of a file holding the HMAC secret shared with the broker (surrounding whitespace ignored). */
    Optional<String> tokenSecretFile();

    /** The secret itself; for tests and throw-away setups. Exactly one of the two must be set. */
    Optional<String> tokenSecret();

    @WithDefault("1h")
    Duration tokenLifetime();

    PasswordHash passwordHash();

    LoginAttempts loginAttempts();

    /** Failed logins allowed per handle within a window, against password guessing. */
    interface LoginAttempts {
        @WithDefault("10")
        int max();

        @WithDefault("5m")
        Duration window();
    }

    /** Argon2id cost; stored in every hash, so changing it affects new hashes only. */
    interface PasswordHash {
        @WithDefault("19456")
        int memoryKib();

        @WithDefault("2")
        int iterations();

        @WithDefault("1")
        int parallelism();
    }
}
