package dev.parley.push.targets;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.accounts.DeviceStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Push targets as persistence-service records them ({@code PUT /v1/me/devices/{deviceId}}), through the
 * store's {@link DeviceStore}: the logged-in devices of a user with a push token, in one partition read.
 */
public final class CassandraPushTargets implements PushTargets {

    private final DeviceStore devices;

    public CassandraPushTargets(CqlSession session, String keyspace) {
        this.devices = new DeviceStore(session, keyspace);
    }

    @Override
    public CompletionStage<List<Target>> of(UUID user) {
        return devices.pushTargets(user).thenApply(targets -> targets.stream()
                .map(t -> new Target(t.deviceId(), t.platform(), t.pushToken()))
                .toList());
    }

    @Override
    public CompletionStage<Void> forget(UUID user, String deviceId, String token) {
        return devices.forgetDeadToken(user, deviceId, token).thenApply(forgotten -> null);
    }
}
