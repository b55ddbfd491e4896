package dev.parley.persistence.devices;

import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.ClientIdentity;
import dev.parley.store.accounts.DeviceStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The caller's devices and their push tokens. Only the caller's own devices are ever read or written:
 * the user id comes from the token, the path names only a device of theirs.
 */
@ApplicationScoped
public class Devices {

    public static final int MAX_TOKEN_LENGTH = 4096;
    static final Set<String> PLATFORMS = Set.of("android", "ios", "web");
    // FCM and APNs tokens are printable ASCII without spaces; anything else is a client bug to report early.
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{1," + MAX_TOKEN_LENGTH + "}");
    private static final String DEVICE_RULE = "must be 1-64 characters of A-Z a-z 0-9 _ -";

    private final DeviceStore devices;
    private final Clock clock = Clock.systemUTC();

    Devices(DeviceStore devices) {
        this.devices = devices;
    }

    public CompletionStage<List<DeviceView>> of(UUID me) {
        return devices.devicesOf(me).thenApply(list -> list.stream().map(DeviceView::of).toList());
    }

    /** Registers (or replaces) the push token of one of the caller's logged-in devices. */
    public CompletionStage<DeviceView> register(UUID me, String deviceId, PushRegistrationBody body) {
        List<FieldError> errors = new ArrayList<>();
        if (!ClientIdentity.isValidDeviceId(deviceId)) {
            errors.add(new FieldError("deviceId", DEVICE_RULE));
        }
        if (body == null) {
            errors.add(new FieldError("body", "is required: {platform, pushToken}"));
        } else {
            if (body.platform() == null || !PLATFORMS.contains(body.platform())) {
                errors.add(new FieldError("platform", "must be one of android, ios, web"));
            }
            if (body.pushToken() == null || !TOKEN.matcher(body.pushToken()).matches()) {
                errors.add(new FieldError("pushToken", "must be 1-" + MAX_TOKEN_LENGTH
                        + " visible ASCII characters without spaces"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        // Millisecond precision: what Cassandra's timestamp keeps, so the answer equals later reads.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return devices.registerPush(me, deviceId, body.platform(), body.pushToken(), now)
                .thenCompose(outcome -> switch (outcome) {
                    case REGISTERED -> devices.find(me, deviceId).thenApply(found -> DeviceView.of(found.orElseThrow(
                            () -> ProblemException.notFound("You have no device '" + deviceId + "'"))));
                    case NO_SUCH_DEVICE -> throw ProblemException.notFound("You never logged in from device '"
                            + deviceId + "': log in from it first");
                    case LOGGED_OUT -> throw ProblemException.of(ProblemType.DEVICE_LOGGED_OUT, "Device '" + deviceId
                            + "' is logged out: log in from it again, then register its push token");
                });
    }

    /** Removes the push token of one of the caller's devices; idempotent for a device without one. */
    public CompletionStage<Void> unregister(UUID me, String deviceId) {
        if (!ClientIdentity.isValidDeviceId(deviceId)) {
            throw ProblemException.invalidField("deviceId", DEVICE_RULE);
        }
        return devices.unregisterPush(me, deviceId).thenAccept(found -> {
            if (!found) {
                throw ProblemException.notFound("You never logged in from device '" + deviceId + "'");
            }
        });
    }
}
