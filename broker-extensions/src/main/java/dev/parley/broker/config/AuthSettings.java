package dev.parley.broker.config;

import dev.parley.protocol.tokens.AccessTokens;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How the broker checks who a client is.
 *
 * @param tokenSecret the HMAC secret access tokens are signed with; persistence-service signs with the same one.
 *                    Never logged: {@link #toString()} hides it
 * @param source      where the secret came from, for log lines: the key, or the file it was read from
 */
public record AuthSettings(String tokenSecret, String source) {

    public AuthSettings {
        Objects.requireNonNull(tokenSecret, "tokenSecret");
        Objects.requireNonNull(source, "source");
        if (tokenSecret.getBytes(StandardCharsets.UTF_8).length < AccessTokens.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret must be at least " + AccessTokens.MIN_SECRET_BYTES
                    + " bytes long");
        }
    }

    @Override
    public String toString() {
        return "AuthSettings[tokenSecret=***, source=" + source + "]";
    }
}
