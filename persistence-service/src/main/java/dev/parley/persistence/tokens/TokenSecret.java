package dev.parley.persistence.tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the token secret comes from. The broker verifies the same tokens as MQTT passwords, so both
 * must read the same secret: normally a file (the dev launcher passes
 * {@code -Dparley.auth.token-secret-file}); the secret is used as the text it is, never base64-decoded,
 * exactly as the broker does.
 */
final class TokenSecret {

    static final String HOW_TO_CREATE = "create one with `openssl rand -base64 48 > token-secret` "
            + "and give the broker the same file";

    private TokenSecret() {
    }

    static String resolve(Optional<String> file, Optional<String> inline) {
        Optional<String> path = file.filter(f -> !f.isBlank());
        Optional<String> value = inline.filter(v -> !v.isBlank());
        if (path.isPresent() && value.isPresent()) {
            throw new TokenSecretException("both parley.auth.token-secret-file and parley.auth.token-secret are set: "
                    + "keep exactly one (the file, outside tests)");
        }
        if (path.isEmpty() && value.isEmpty()) {
            throw new TokenSecretException("no access-token secret: set parley.auth.token-secret-file to the file "
                    + "holding the secret the broker uses (" + HOW_TO_CREATE + "), or parley.auth.token-secret");
        }
        if (value.isPresent()) {
            return value.get().strip();
        }
        try {
            String secret = Files.readString(Path.of(path.get()), StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new TokenSecretException("parley.auth.token-secret-file " + path.get() + " is empty: "
                        + HOW_TO_CREATE);
            }
            return secret;
        } catch (IOException e) {
            throw new TokenSecretException("cannot read parley.auth.token-secret-file " + path.get() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "): point it at a readable file, or " + HOW_TO_CREATE);
        }
    }

    /** The one line an operator reads when the service refuses to start; no stack trace on purpose. */
    static final class TokenSecretException extends RuntimeException {
        TokenSecretException(String message) {
            super("persistence-service cannot start: " + message, null, false, false);
        }
    }
}
