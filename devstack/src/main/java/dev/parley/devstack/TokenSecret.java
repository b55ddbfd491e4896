package dev.parley.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The access token secret a throw-away stack shares between the broker, persistence-service and
 * presence-bridge: 48 random bytes, base64, readable by this user only. (The dev stack keeps its own
 * across restarts instead; see {@link LocalStack#tokenSecretFile()}.)
 */
public final class TokenSecret {

    private TokenSecret() {
    }

    /** Writes a fresh secret to {@code file}, replacing what is there, and returns its absolute path. */
    public static Path write(Path file) {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(random));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toAbsolutePath();
    }
}
