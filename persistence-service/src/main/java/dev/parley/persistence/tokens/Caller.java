package dev.parley.persistence.tokens;

import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.VerifiedToken;
import jakarta.enterprise.context.RequestScoped;

/**
 * The device whose bearer token authenticated the current request; set by {@link BearerAuthFilter}
 * before any {@link BearerAuthenticated} resource method runs. Identity always comes from the token,
 * never from the request body (DESIGN invariant 5).
 */
@RequestScoped
public class Caller {

    private VerifiedToken token;

    void authenticate(VerifiedToken verified) {
        this.token = verified;
    }

    public VerifiedToken token() {
        if (token == null) {
            // A resource read the caller without @BearerAuthenticated: a bug, never a client error.
            throw new IllegalStateException("request was not authenticated");
        }
        return token;
    }

    public ClientIdentity device() {
        return token().device();
    }
}
