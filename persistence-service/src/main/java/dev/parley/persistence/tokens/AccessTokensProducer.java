package dev.parley.persistence.tokens;

import dev.parley.protocol.tokens.AccessTokens;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

@Singleton
final class AccessTokensProducer {

    private static final Logger LOG = Logger.getLogger(AccessTokensProducer.class);

    /** At startup, so a missing or weak secret stops the service before it accepts a login. */
    @Produces
    @Singleton
    @Startup
    AccessTokens accessTokens(AuthConfig config) {
        try {
            String secret = TokenSecret.resolve(config.tokenSecretFile(), config.tokenSecret());
            try {
                return new AccessTokens(secret, Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                throw new TokenSecret.TokenSecretException(e.getMessage());
            }
        } catch (TokenSecret.TokenSecretException failure) {
            // The one line an operator needs, on its own, before Quarkus' generic startup failure.
            LOG.error(failure.getMessage());
            throw failure;
        }
    }
}
