package dev.parley.persistence.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class TokenSecretTest {

    @Test
    void theFileIsReadAsTextWithSurroundingWhitespaceStripped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "  c2VjcmV0LXRoYXQtaXMtbm90LWRlY29kZWQ=\n");
        assertThat(TokenSecret.resolve(Optional.of(file.toString()), Optional.empty()))
                .isEqualTo("c2VjcmV0LXRoYXQtaXMtbm90LWRlY29kZWQ=");
    }

    @Test
    void theInlineSecretIsUsedWhenNoFileIsSet() {
        assertThat(TokenSecret.resolve(Optional.empty(), Optional.of("inline"))).isEqualTo("inline");
    }

    @Test
    void neitherIsOneActionableLine() {
        assertThatThrownBy(() -> TokenSecret.resolve(Optional.empty(), Optional.of(" ")))
                .hasMessageStartingWith("persistence-service cannot start: no access-token secret")
                .hasMessageContaining("parley.auth.token-secret-file")
                .hasMessageContaining("openssl rand -base64 48")
                .hasMessageNotContaining("\n");
    }

    @Test
    void bothIsRefused() {
        assertThatThrownBy(() -> TokenSecret.resolve(Optional.of("/some/file"), Optional.of("inline")))
                .hasMessageContaining("keep exactly one");
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> TokenSecret.resolve(Optional.of(missing.toString()), Optional.empty()))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("openssl rand -base64 48")
                .hasMessageNotContaining("\n");
    }
}
