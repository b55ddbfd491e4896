package dev.parley.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the java binaries child processes run on. */
public final class JavaRuntimes {

    private JavaRuntimes() {
    }

    /** The java of this JVM: services and the broker run on whatever runs the launcher. */
    public static String current() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Cassandra 5.0 starts only on Java 17 (on 25 it fails with a security-manager error). Order:
     * PARLEY_JAVA17_HOME, this JVM when it is 17, then a JDK 17 under /usr/lib/jvm.
     */
    public static String java17() {
        String configured = System.getenv("PARLEY_JAVA17_HOME");
        if (configured != null && !configured.isBlank()) {
            Path java = Path.of(configured, "bin", "java");
            if (Files.isExecutable(java)) {
                return java.toString();
            }
            throw new DevStackException("PARLEY_JAVA17_HOME=" + configured + " has no bin/java");
        }
        if (Runtime.version().feature() == 17) {
            return current();
        }
        return findUnder(Path.of("/usr/lib/jvm")).orElseThrow(() -> new DevStackException(
                "Cassandra 5.0 needs a Java 17 runtime and none was found (this JVM is " + Runtime.version()
                        + "): install one (`apt-get install -y openjdk-17-jdk-headless`) or set PARLEY_JAVA17_HOME"));
    }

    private static Optional<String> findUnder(Path jvmDir) {
        if (!Files.isDirectory(jvmDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvmDir)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-17(-.*|\\..*)?"))
                    .map(d -> d.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .sorted(Comparator.comparing(Path::toString))
                    .map(Path::toString)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
