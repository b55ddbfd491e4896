package dev.parley.persistence.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

    @AfterEach
    void close() {
        hasher.close();
    }

    private boolean verify(String password, String hash) throws Exception {
        return hasher.verify(password, hash).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHashVerifiesItsPasswordOnlyAndIsSaltedPerCall() throws Exception {
        String hash = hasher.hash("correct horse battery").toCompletableFuture().get(10, TimeUnit.SECONDS);
        String again = hasher.hash("correct horse battery").toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("horse");
        assertThat(again).isNotEqualTo(hash);
        assertThat(verify("correct horse battery", hash)).isTrue();
        assertThat(verify("correct horse batterY", hash)).isFalse();
    }

    @Test
    void theCostIsReadFromTheHashSoRaisingItKeepsOldHashesValid() throws Exception {
        String cheap = hasher.hash("pa55word-long").toCompletableFuture().get(10, TimeUnit.SECONDS);
        PasswordHasher stronger = new PasswordHasher(2048, 2, 1);
        try {
            assertThat(stronger.verify("pa55word-long", cheap).toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            stronger.close();
        }
    }

    @Test
    void aMissingOrForeignHashNeverMatches() throws Exception {
        assertThat(verify("anything-at-all", null)).isFalse();
        assertThat(verify("anything-at-all", "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(verify("anything-at-all", "$argon2id$v=19$m=x$$")).isFalse();
    }

    @Test
    void impossibleParametersAreRefusedNamingTheKeys() {
        assertThatThrownBy(() -> new PasswordHasher(4, 1, 1))
                .hasMessageContaining("parley.auth.password-hash");
    }
}
