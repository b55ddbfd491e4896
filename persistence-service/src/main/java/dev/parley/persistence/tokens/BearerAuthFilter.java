package dev.parley.persistence.tokens;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.InvalidTokenException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Verifies the bearer token of {@link BearerAuthenticated} endpoints with the same {@link AccessTokens}
 * the broker uses, so a token is valid here exactly when it is valid as an MQTT password. Stateless
 * (signature and expiry only): only refresh consults the devices table.
 */
@Provider
@BearerAuthenticated
@Priority(Priorities.AUTHENTICATION)
final class BearerAuthFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Bearer ";

    // A Provider, because Quarkus REST builds its filters during static init, before runtime
    // configuration (the token secret) exists; the tokens bean is resolved at the first request.
    private final jakarta.inject.Provider<AccessTokens> tokens;
    private final Caller caller;

    BearerAuthFilter(jakarta.inject.Provider<AccessTokens> tokens, Caller caller) {
        this.tokens = tokens;
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
        try {
            caller.authenticate(tokens.get().verify(header.substring(SCHEME.length()).strip()));
        } catch (InvalidTokenException e) {
            throw unauthenticated(e.getMessage());
        }
    }

    private static ProblemException unauthenticated(String detail) {
        return ProblemException.of(ProblemType.UNAUTHENTICATED, detail);
    }
}
