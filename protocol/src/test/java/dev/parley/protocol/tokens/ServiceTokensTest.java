package dev.parley.protocol.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ServiceClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static ServiceTokens at(Instant now) {
        return new ServiceTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aServiceTokenNamesItsService() throws Exception {
        String token = at(NOW).issue(ServiceClient.PRESENCE_BRIDGE, Duration.ofHours(1));

        ServiceTokens.VerifiedService verified = at(NOW.plusSeconds(60)).verify(token);

        assertThat(verified.service()).isEqualTo(ServiceClient.PRESENCE_BRIDGE);
        assertThat(verified.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void anExpiredServiceTokenSaysSo() {
        String token = at(NOW).issue(ServiceClient.PRESENCE_BRIDGE, Duration.ofMinutes(5));

        assertThatThrownBy(() -> at(NOW.plus(Duration.ofMinutes(10))).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void deviceAndServiceTokensAreNeverMistakenForEachOther() {
        String deviceToken = new AccessTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC))
                .issue(new ClientIdentity(UUID.randomUUID(), "phone"), Duration.ofHours(1));
        String serviceToken = at(NOW).issue(ServiceClient.PRESENCE_BRIDGE, Duration.ofHours(1));

        assertThatThrownBy(() -> at(NOW).verify(deviceToken)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> new AccessTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC)).verify(serviceToken))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void aTokenForAnUnknownServiceOrFromAnotherSecretIsRefused() {
        String unknown = JWT.create().withIssuer(AccessTokens.ISSUER).withClaim(ServiceTokens.SERVICE_CLAIM, "admin")
                .withExpiresAt(NOW.plusSeconds(600)).sign(Algorithm.HMAC256(SECRET));
        String forged = new ServiceTokens("another-secret-that-is-long-enough-for-hs256", Clock.fixed(NOW, ZoneOffset.UTC))
                .issue(ServiceClient.PRESENCE_BRIDGE, Duration.ofHours(1));

        assertThatThrownBy(() -> at(NOW).verify(unknown)).hasMessageContaining("unknown service");
        assertThatThrownBy(() -> at(NOW).verify(forged)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void serviceClientIdsAreSvcServiceInstance() {
        assertThat(ServiceClient.parse("svc:presence-bridge:bridge-1"))
                .contains(new ServiceClient(ServiceClient.PRESENCE_BRIDGE, "bridge-1"));
        assertThat(new ServiceClient(ServiceClient.PRESENCE_BRIDGE, "b.2").clientId()).isEqualTo("svc:presence-bridge:b.2");
        assertThat(new ServiceClient(ServiceClient.PRESENCE_BRIDGE, "b").userName()).isEqualTo("svc:presence-bridge");
        assertThat(ServiceClient.parse("svc:admin:1")).isEmpty();
        assertThat(ServiceClient.parse("svc:presence-bridge:")).isEmpty();
        assertThat(ServiceClient.parse("svc:presence-bridge:a:b")).isEmpty();
        assertThat(ServiceClient.parse(UUID.randomUUID() + "/phone")).isEmpty();
        assertThat(ServiceClient.claimsService("svc:anything")).isTrue();
        assertThat(ServiceClient.claimsService(UUID.randomUUID() + "/phone")).isFalse();
    }
}
