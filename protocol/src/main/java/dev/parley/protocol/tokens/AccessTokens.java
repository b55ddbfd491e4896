package dev.parley.protocol.tokens;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.JWTVerifier;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Parley's access tokens: HS256 JWTs that persistence-service issues at login, one per device, and
 * that the broker accepts as the MQTT password and the services as the REST bearer token.
 * Claims: {@code iss=parley}, {@code sub} the user id, {@code did} the device id, {@code iat},
 * {@code exp}, {@code jti}.
 */
public final class AccessTokens {

    public static final String ISSUER = "parley";
    public static final int MIN_SECRET_BYTES = 32;
    private static final String DEVICE_CLAIM = "did";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;

    /** @param secret the shared HMAC secret, at least 32 bytes (UTF-8) */
    public AccessTokens(String secret, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret must be at least " + MIN_SECRET_BYTES
                    + " bytes long (generate one with `openssl rand -base64 48`)");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.clock = clock;
        // BaseVerification.build(Clock) is java-jwt's public way to verify expiry against our clock.
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(ISSUER)
                .withClaimPresence("sub")
                .withClaimPresence(DEVICE_CLAIM)
                .withClaimPresence("exp")
                .acceptLeeway(5))
                .build(clock);
    }

    public String issue(ClientIdentity device, Duration lifetime) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(device.userId().toString())
                .withClaim(DEVICE_CLAIM, device.deviceId())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(lifetime))
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
    }

    /** The device a valid token was issued to; otherwise an exception whose message is safe to show. */
    public VerifiedToken verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no access token: send the token from POST /v1/tokens as the MQTT password");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new InvalidTokenException("access token expired at " + e.getExpiredOn() + ": log in again");
        } catch (SignatureVerificationException | AlgorithmMismatchException e) {
            throw new InvalidTokenException("access token signature is not valid: it was not issued by this Parley");
        } catch (JWTDecodeException e) {
            throw new InvalidTokenException("access token is not a JWT");
        } catch (MissingClaimException e) {
            throw new InvalidTokenException("access token lacks Parley's claim '" + e.getClaimName() + "'");
        } catch (IncorrectClaimException e) {
            throw new InvalidTokenException("access token claim '" + e.getClaimName() + "' is not Parley's");
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("access token is not valid");
        }
        UUID user = Ids.parseUuid(jwt.getSubject())
                .orElseThrow(() -> new InvalidTokenException("access token subject is not a user id"));
        String device = jwt.getClaim(DEVICE_CLAIM).asString();
        if (!ClientIdentity.isValidDeviceId(device)) {
            throw new InvalidTokenException("access token device id is not valid");
        }
        return new VerifiedToken(new ClientIdentity(user, device), jwt.getExpiresAtAsInstant(), jwt.getId());
    }
}
