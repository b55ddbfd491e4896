package dev.parley.protocol.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.parley.protocol.ClientIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final ClientIdentity phone = new ClientIdentity(UUID.randomUUID(), "phone");

    private static AccessTokens at(Instant now) {
        return new AccessTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenNamesTheDeviceItWasIssuedTo() throws Exception {
        String token = at(NOW).issue(phone, Duration.ofHours(1));
        VerifiedToken verified = at(NOW.plusSeconds(60)).verify(token);
        assertThat(verified.device()).isEqualTo(phone);
        assertThat(verified.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void anExpiredTokenSaysSo() {
        String token = at(NOW).issue(phone, Duration.ofMinutes(5));
        assertThatThrownBy(() -> at(NOW.plus(Duration.ofMinutes(10))).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsForged() {
        String forged = new AccessTokens("another-secret-that-is-long-enough-for-hs256", Clock.fixed(NOW, ZoneOffset.UTC))
                .issue(phone, Duration.ofHours(1));
        assertThatThrownBy(() -> at(NOW).verify(forged)).hasMessageContaining("signature is not valid");
    }

    @Test
    void theNoneAlgorithmAndGarbageAreRefused() {
        String unsigned = JWT.create().withIssuer("parley").withSubject(phone.userId().toString())
                .withClaim("did", "phone").withExpiresAt(NOW.plusSeconds(600)).sign(Algorithm.none());
        assertThatThrownBy(() -> at(NOW).verify(unsigned)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> at(NOW).verify("not.a.jwt")).hasMessageContaining("not a JWT");
        assertThatThrownBy(() -> at(NOW).verify("")).hasMessageContaining("no access token");
    }

    @Test
    void aShortSecretIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new AccessTokens("short", Clock.systemUTC()))
                .hasMessageContaining("at least 32 bytes");
    }
}
