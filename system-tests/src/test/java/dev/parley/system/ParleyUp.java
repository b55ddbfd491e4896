package dev.parley.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ./parley up} run as a person runs it, on free ports, with its output in a file. */
final class ParleyUp implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    static final Path HOME = Path.of(System.getProperty("parley.home", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final Path output;
    private final Path dataDir;

    private ParleyUp(Process process, Path output, Path dataDir) {
        this.process = process;
        this.output = output;
        this.dataDir = dataDir;
    }

    static ParleyUp start(Path dataDir, String... extraArgs) {
        try {
            Files.createDirectories(dataDir);
            Path output = Files.createTempFile(dataDir.getParent(), "parley-up", ".log");
            List<String> command = new ArrayList<>(List.of(HOME.resolve("parley").toString(), "up",
                    "--data-dir", dataDir.toString(), "--ports", "auto"));
            command.addAll(List.of(extraArgs));
            Process process = new ProcessBuilder(command)
                    .directory(HOME.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new ParleyUp(process, output, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts and waits until the launcher says the stack is up. If it does not, the started processes are
     * killed before the failure is rethrown: a test that gave up must not leave a whole stack running.
     */
    static ParleyUp startAndAwaitReady(Path dataDir) {
        ParleyUp up = start(dataDir);
        try {
            await("./parley up to report the stack up").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!up.process.isAlive()) {
                            throw new AssertionError("./parley up exited with " + up.process.exitValue() + ":\n"
                                    + up.output());
                        }
                        return up.output().contains("Parley is up:");
                    });
            return up;
        } catch (RuntimeException | Error e) {
            up.close();
            throw e;
        }
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Process process() {
        return process;
    }

    /** What the launcher wrote about the running stack: endpoints and the pid of every process. */
    Properties stack() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve("run/stack.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Every pid the launcher wrote, its own included. */
    static List<Long> pids(Properties stack) {
        return stack.stringPropertyNames().stream()
                .filter(k -> k.startsWith("pid."))
                .map(k -> Long.parseLong(stack.getProperty(k)))
                .toList();
    }

    /** Every port the stack's endpoints name ({@code tcp://127.0.0.1:1883}, {@code 127.0.0.1:9042}, ...). */
    static Set<Integer> ports(Properties stack) {
        Set<Integer> ports = new TreeSet<>();
        for (String key : stack.stringPropertyNames()) {
            Matcher port = PORT.matcher(stack.getProperty(key));
            while (port.find()) {
                ports.add(Integer.parseInt(port.group(1)));
            }
        }
        return ports;
    }

    List<Long> childPids() {
        return stack().stringPropertyNames().stream()
                .filter(k -> k.startsWith("pid.") && !k.equals("pid.launcher"))
                .map(k -> Long.parseLong(stack().getProperty(k)))
                .toList();
    }

    /** Ctrl-C: SIGINT to the launcher, as a terminal sends it. Returns the exit code. */
    int interrupt() {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                throw new AssertionError("./parley up did not stop within 3 minutes of Ctrl-C:\n" + output());
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
