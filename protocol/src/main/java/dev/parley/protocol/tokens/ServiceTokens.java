package dev.parley.protocol.tokens;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.parley.protocol.ServiceClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Tokens of Parley's own services on the broker: HS256 JWTs signed with the same secret as device access
 * tokens, with claims {@code iss=parley}, {@code svc} (the service's name), {@code iat}, {@code exp},
 * {@code jti} and no {@code sub}/{@code did}. A service token is therefore never accepted as a device's
 * token ({@link AccessTokens} requires {@code did}), and a device token never as a service's (this class
 * requires {@code svc}). A service that holds the secret mints its own short-lived token at every
 * (re)connect, so no long-lived credential sits in a file.
 */
public final class ServiceTokens {

    static final String SERVICE_CLAIM = "svc";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;

    /** @param secret the shared HMAC secret, at least 32 bytes (UTF-8) */
    public ServiceTokens(String secret, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < AccessTokens.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret must be at least " + AccessTokens.MIN_SECRET_BYTES
                    + " bytes long (generate one with `openssl rand -base64 48`)");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.clock = clock;
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(AccessTokens.ISSUER)
                .withClaimPresence(SERVICE_CLAIM)
                .withClaimPresence("exp")
                .acceptLeeway(5))
                .build(clock);
    }

    public String issue(String service, Duration lifetime) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(AccessTokens.ISSUER)
                .withClaim(SERVICE_CLAIM, service)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(lifetime))
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
    }

    /** The service a valid token was issued to and its expiry; otherwise an exception whose message is safe to show. */
    public VerifiedService verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no service token: a service connects with a token signed with the"
                    + " broker's token secret as its password");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new InvalidTokenException("service token expired at " + e.getExpiredOn() + ": mint a new one");
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("not a valid service token (" + e.getClass().getSimpleName()
                    .replace("Exception", "") + "): it must be signed with this broker's token secret and carry '"
                    + SERVICE_CLAIM + "'");
        }
        String service = jwt.getClaim(SERVICE_CLAIM).asString();
        if (!ServiceClient.PRESENCE_BRIDGE.equals(service)) {
            throw new InvalidTokenException("service token names an unknown service");
        }
        return new VerifiedService(service, jwt.getExpiresAtAsInstant());
    }

    /** A service token that passed verification. */
    public record VerifiedService(String service, Instant expiresAt) {
    }
}
