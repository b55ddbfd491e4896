package dev.parley.persistence.accounts;

import dev.parley.persistence.tokens.AuthConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}, with Bouncy Castle's pure-Java
 * implementation (no native library to ship). The cost parameters are stored in each hash, so raising
 * them later leaves existing hashes verifiable.
 * <p>
 * Hashing is deliberately slow CPU work, so it runs on a pool of its own, one thread per core: never
 * on a Vert.x event loop or the Cassandra driver's I/O threads, and a burst of logins queues here
 * instead of starving other requests. The queue is unbounded; per-client rate limiting of logins and
 * registrations is future work.
 */
@Singleton
public class PasswordHasher {

    private static final String PREFIX = "$argon2id$v=19$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService pool;

    @Inject
    PasswordHasher(AuthConfig config) {
        this(config.passwordHash().memoryKib(), config.passwordHash().iterations(), config.passwordHash().parallelism());
    }

    PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
            throw new IllegalArgumentException("parley.auth.password-hash: need parallelism >= 1, iterations >= 1 "
                    + "and memory-kib >= 8 x parallelism (Argon2), got m=" + memoryKib + ", t=" + iterations
                    + ", p=" + parallelism);
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), task -> {
            Thread thread = new Thread(task, "parley-password-hash-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public CompletionStage<String> hash(String password) {
        return CompletableFuture.supplyAsync(() -> hashNow(password), pool);
    }

    /**
     * Whether {@code password} matches {@code encoded}. A null or unreadable {@code encoded} costs a
     * full hash all the same and answers false, so a login for an unknown handle takes as long as one
     * with a wrong password and timing does not reveal which handles exist.
     */
    public CompletionStage<Boolean> verify(String password, String encoded) {
        return CompletableFuture.supplyAsync(() -> verifyNow(password, encoded), pool);
    }

    private String hashNow(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return PREFIX + "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private boolean verifyNow(String password, String encoded) {
        Parsed parsed = encoded == null ? null : Parsed.of(encoded);
        if (parsed == null) {
            hashNow(password);
            return false;
        }
        byte[] actual = argon2(password, parsed.salt, parsed.memoryKib, parsed.iterations, parsed.parallelism,
                parsed.hash.length);
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                                 int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }

    private record Parsed(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
        /** Null when {@code encoded} is not an Argon2id PHC string this class wrote. */
        static Parsed of(String encoded) {
            if (!encoded.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = encoded.substring(PREFIX.length()).split("\\$");
            if (parts.length != 3) {
                return null;
            }
            try {
                int m = 0;
                int t = 0;
                int p = 0;
                for (String param : parts[0].split(",")) {
                    String[] kv = param.split("=", 2);
                    int value = Integer.parseInt(kv[1]);
                    switch (kv[0]) {
                        case "m" -> m = value;
                        case "t" -> t = value;
                        case "p" -> p = value;
                        default -> {
                            return null;
                        }
                    }
                }
                byte[] salt = B64_DECODE.decode(parts[1]);
                byte[] hash = B64_DECODE.decode(parts[2]);
                if (p < 1 || t < 1 || m < 8 * p || hash.length == 0) {
                    return null;
                }
                return new Parsed(m, t, p, salt, hash);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
