package dev.parley.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.StoreTestSupport;
import dev.parley.store.accounts.DeviceStore.PushRegistration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DeviceStorePushTest {

    private static CqlSession session;
    private static String keyspace;
    private static DeviceStore devices;

    @BeforeAll
    static void setUp() {
        session = StoreTestSupport.session();
        devices = new DeviceStore(session, (keyspace = StoreTestSupport.migratedKeyspace(session, "devices")));
    }

    @AfterAll
    static void tearDown() {
        StoreTestSupport.drop(session, keyspace);
        session.close();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void pushTargetsAreTheLoggedInDevicesWithATokenAndLogoutDropsTheToken() {
        UUID user = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        join(devices.recordLogin(user, "phone", "t1", now));
        join(devices.recordLogin(user, "laptop", "t2", now));
        join(devices.recordLogin(user, "tablet", "t3", now));

        assertThat(join(devices.registerPush(user, "phone", "android", "fcm-phone", now))).isEqualTo(PushRegistration.REGISTERED);
        assertThat(join(devices.registerPush(user, "laptop", "web", "fcm-laptop", now))).isEqualTo(PushRegistration.REGISTERED);
        // Replacing a token is a plain re-registration.
        assertThat(join(devices.registerPush(user, "phone", "android", "fcm-phone-2", now))).isEqualTo(PushRegistration.REGISTERED);
        assertThat(join(devices.pushTargets(user))).containsExactly(
                new PushTarget("laptop", "web", "fcm-laptop"), new PushTarget("phone", "android", "fcm-phone-2"));

        join(devices.revoke(user, "laptop", now));
        assertThat(join(devices.pushTargets(user))).containsExactly(new PushTarget("phone", "android", "fcm-phone-2"));
        DeviceRecord laptop = join(devices.find(user, "laptop")).orElseThrow();
        assertThat(laptop.revoked()).isTrue();
        assertThat(laptop.pushToken()).isNull();
        assertThat(laptop.platform()).isNull();
        // A logged-out device cannot register again until it logs in.
        assertThat(join(devices.registerPush(user, "laptop", "web", "fcm-again", now))).isEqualTo(PushRegistration.LOGGED_OUT);
        assertThat(join(devices.find(user, "laptop")).orElseThrow().pushToken()).isNull();
        join(devices.recordLogin(user, "laptop", "t4", now));
        assertThat(join(devices.find(user, "laptop")).orElseThrow().pushToken()).isNull();

        assertThat(join(devices.unregisterPush(user, "phone"))).isTrue();
        assertThat(join(devices.pushTargets(user))).isEmpty();
        assertThat(join(devices.devicesOf(user))).extracting(DeviceRecord::deviceId)
                .containsExactly("laptop", "phone", "tablet");
    }

    @Test
    void aDeviceThatNeverLoggedInGetsNoRegistration() {
        UUID user = UUID.randomUUID();
        assertThat(join(devices.registerPush(user, "ghost", "ios", "apns", Instant.now())))
                .isEqualTo(PushRegistration.NO_SUCH_DEVICE);
        assertThat(join(devices.unregisterPush(user, "ghost"))).isFalse();
        assertThat(join(devices.devicesOf(user))).isEmpty();
        assertThat(join(devices.pushTargets(user))).isEqualTo(List.of());
    }
}
