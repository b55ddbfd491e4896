package dev.parley.persistence.tokens;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.InvalidTokenException;
import dev.parley.protocol.tokens.VerifiedToken;
import dev.parley.store.accounts.DeviceStore;
import java.util.concurrent.CompletionException;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Verifies the bearer token of {@link BearerAuthenticated} endpoints with the same {@link AccessTokens}
 * the broker uses (signature and expiry), then checks that the token's device is still logged in: a
 * token of a logged-out (revoked) device is refused with session-ended, although it has not expired.
 * That check is one single-row read of the devices table, made asynchronously: the request is
 * suspended meanwhile, never blocking an event-loop thread.
 */
@Provider
@BearerAuthenticated
@Priority(Priorities.AUTHENTICATION)
final class BearerAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Bearer ";

    // A Provider, because Quarkus REST builds its filters during static init, before runtime
    // configuration (the token secret) exists; the tokens bean is resolved at the first request.
    private final jakarta.inject.Provider<AccessTokens> tokens;
    private final jakarta.inject.Provider<DeviceStore> devices;
    private final Caller caller;

    BearerAuthFilter(jakarta.inject.Provider<AccessTokens> tokens, jakarta.inject.Provider<DeviceStore> devices,
                     Caller caller) {
        this.tokens = tokens;
        this.devices = devices;
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw unauthenticated("no access token: send the header 'Authorization: Bearer <token>' with the token "
                    + "from POST /v1/tokens");
        }
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw unauthenticated("the Authorization header must be 'Bearer <token>'");
        }
        VerifiedToken verified;
        try {
            verified = tokens.get().verify(header.substring(SCHEME.length()).strip());
        } catch (InvalidTokenException e) {
            throw unauthenticated(e.getMessage());
        }
        // Set now, on the request's own thread: the request scope is not active on the driver's threads.
        caller.authenticate(verified);
        ResteasyReactiveContainerRequestContext suspended = (ResteasyReactiveContainerRequestContext) request;
        suspended.suspend();
        ClientIdentity device = verified.device();
        devices.get().find(device.userId(), device.deviceId()).whenComplete((found, failure) -> {
            if (failure != null) {
                suspended.resume(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else if (found.isEmpty() || found.get().revoked()) {
                suspended.resume(ProblemException.of(ProblemType.SESSION_ENDED, "device '" + device.deviceId()
                        + "' is logged out: log in again with POST /v1/tokens"));
            } else {
                suspended.resume();
            }
        });
    }

    private static ProblemException unauthenticated(String detail) {
        return ProblemException.of(ProblemType.UNAUTHENTICATED, detail);
    }
}
