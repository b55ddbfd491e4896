package dev.parley.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real redis-server process. The binary is the one the embedded-redis artifact ships (Redis 6.2 for
 * linux-amd64), so a machine with only a JDK and Maven can run it; no package install is needed.
 */
public final class RedisNode implements AutoCloseable {

    private static final String BINARY_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";

    /**
     * @param dataDir    where the binary, the append-only file and the log live
     * @param persistent keep data across restarts (append-only file); tests run without
     */
    public record Settings(Path dataDir, String host, int port, boolean persistent) {
    }

    private final Settings settings;
    private final ChildProcess process;

    private RedisNode(Settings settings, ChildProcess process) {
        this.settings = settings;
        this.process = process;
    }

    public static RedisNode start(Settings settings, Duration timeout) {
        Ports.requireFree(settings.host(), settings.port(), "Redis", "--redis-port");
        Path binary = extractBinary(settings.dataDir().resolve("bin"));
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--bind", settings.host(), "--port", Integer.toString(settings.port()),
                "--dir", settings.dataDir().toString(), "--save", "", "--protected-mode", "no",
                "--daemonize", "no"));
        command.addAll(settings.persistent()
                ? List.of("--appendonly", "yes", "--appendfsync", "everysec")
                : List.of("--appendonly", "no"));
        ChildProcess process = ChildProcess.start("redis", command, settings.dataDir().resolve("redis.log"), Map.of());
        RedisNode node = new RedisNode(settings, process);
        node.awaitPong(timeout);
        return node;
    }

    public Endpoint endpoint() {
        return new Endpoint(settings.host(), settings.port());
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }

    /** True when a redis server answers PING at the endpoint. */
    public static boolean answersPing(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitPong(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new DevStackException("redis-server exited during startup; its log ends with:\n"
                        + process.logTail(15));
            }
            if (answersPing(endpoint())) {
                return;
            }
            CassandraNode.pause();
        }
        process.stop(Duration.ofSeconds(5));
        throw new DevStackException("redis-server did not answer PING on " + endpoint() + " within "
                + timeout.toSeconds() + " s; its log ends with:\n" + process.logTail(15));
    }

    private static Path extractBinary(Path binDir) {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")
                || !System.getProperty("os.arch").matches("amd64|x86_64")) {
            throw new DevStackException("the bundled redis-server is for linux-amd64 only; this is "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        Path binary = binDir.resolve("redis-server");
        try (InputStream in = RedisNode.class.getResourceAsStream(BINARY_RESOURCE)) {
            if (in == null) {
                throw new DevStackException("redis-server binary " + BINARY_RESOURCE
                        + " is not on the classpath (com.github.codemonstur:embedded-redis)");
            }
            Files.createDirectories(binDir);
            byte[] bytes = in.readAllBytes();
            if (!Files.exists(binary) || Files.size(binary) != bytes.length) {
                Path tmp = Files.createTempFile(binDir, "redis-server", ".tmp");
                Files.write(tmp, bytes);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
