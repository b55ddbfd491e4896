package dev.parley.persistence.tokens;

import dev.parley.persistence.accounts.AccountClaims;
import dev.parley.persistence.accounts.PasswordHasher;
import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.InvalidTokenException;
import dev.parley.protocol.tokens.VerifiedToken;
import dev.parley.store.accounts.DeviceStore;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Logins, refreshes and logouts of devices. A device may refresh only the newest token issued to it
 * (the devices table holds its id): logout clears it, and each refresh replaces it atomically.
 */
@ApplicationScoped
public class Sessions {

    private static final String WRONG_CREDENTIALS = "the handle or the password is wrong";

    private final AccountClaims claims;
    private final UserStore users;
    private final DeviceStore devices;
    private final PasswordHasher hasher;
    private final AccessTokens tokens;
    private final LoginThrottle throttle;
    private final LogoutBroadcast logouts;
    private final Duration lifetime;

    Sessions(AccountClaims claims, UserStore users, DeviceStore devices, PasswordHasher hasher, AccessTokens tokens,
             LoginThrottle throttle, LogoutBroadcast logouts, AuthConfig config) {
        this.claims = claims;
        this.users = users;
        this.devices = devices;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.logouts = logouts;
        this.lifetime = config.tokenLifetime();
    }

    CompletionStage<TokenResponse> login(LoginRequest request) {
        validate(request);
        // Handles are lower-case; accepting "Ada" for "ada" spares users a confusing failure.
        String handle = request.handle().strip().toLowerCase(Locale.ROOT);
        return throttle.check(handle)
                .thenCompose(allowed -> claims.handles().owner(handle))
                .thenCompose(owner -> owner.isPresent() ? users.find(owner.get()) : CompletableFuture.completedFuture(
                        Optional.<UserRecord>empty()))
                .thenCompose(user -> hasher.verify(request.password(), user.map(UserRecord::passwordHash).orElse(null))
                        .thenCompose(matches -> {
                            // Unknown handle and wrong password: the same problem, after the same work.
                            if (!matches || user.isEmpty()) {
                                return throttle.failed(handle).thenApply(counted -> {
                                    throw ProblemException.of(ProblemType.INVALID_CREDENTIALS, WRONG_CREDENTIALS);
                                });
                            }
                            return CompletableFuture.completedFuture(user.get().userId());
                        }))
                .thenCompose(userId -> {
                    ClientIdentity device = new ClientIdentity(userId, request.deviceId());
                    Issued issued = issue(device);
                    return devices.recordLogin(userId, device.deviceId(), issued.tokenId(), Instant.now())
                            .thenApply(x -> issued.response());
                });
    }

    /** A fresh token for the caller's device, if its session is still the one {@code current} belongs to. */
    CompletionStage<TokenResponse> refresh(VerifiedToken current) {
        Issued next = issue(current.device());
        return devices.rotateToken(current.device().userId(), current.device().deviceId(), current.tokenId(),
                        next.tokenId())
                .thenApply(applied -> {
                    if (!applied) {
                        throw ProblemException.of(ProblemType.SESSION_ENDED, "this token can no longer be refreshed: "
                                + "the device logged out, logged in again or refreshed it already; log in with POST /v1/tokens");
                    }
                    return next.response();
                });
    }

    /**
     * Ends a device's session: its tokens are refused from now on (REST and new MQTT connections) and
     * the broker nodes close a connection it still has open.
     */
    public CompletionStage<Void> logout(UUID userId, String deviceId) {
        if (!ClientIdentity.isValidDeviceId(deviceId)) {
            throw ProblemException.invalidField("deviceId", "must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        return devices.revoke(userId, deviceId, Instant.now()).thenCompose(found -> {
            if (!found) {
                throw ProblemException.notFound("You have no device '" + deviceId + "'");
            }
            return logouts.loggedOut(new ClientIdentity(userId, deviceId));
        });
    }

    private record Issued(TokenResponse response, String tokenId) {
    }

    private Issued issue(ClientIdentity device) {
        String token = tokens.issue(device, lifetime);
        try {
            // Reading our own token back is the way to learn its id and expiry from AccessTokens.
            VerifiedToken verified = tokens.verify(token);
            return new Issued(new TokenResponse(token, device.userId(), device.deviceId(), verified.expiresAt()),
                    verified.tokenId());
        } catch (InvalidTokenException e) {
            throw new IllegalStateException("a token just issued does not verify: " + e.getMessage(), e);
        }
    }

    private static void validate(LoginRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", "is required: {handle, password, deviceId}");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.handle() == null || request.handle().isBlank()) {
            errors.add(new FieldError("handle", "is required"));
        }
        if (request.password() == null || request.password().isEmpty()) {
            errors.add(new FieldError("password", "is required"));
        }
        if (!ClientIdentity.isValidDeviceId(request.deviceId())) {
            errors.add(new FieldError("deviceId", "must be 1-64 characters of A-Z a-z 0-9 _ -"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
    }
}
