package dev.parley.system;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Node.js script from {@code web-client/src/test/browser} driving the web client in Debian's Chromium through
 * playwright-core. The script prints {@code STEP <name> [detail]} lines as it gets there and waits for
 * {@code GO <name>} on stdin where the test must act first; everything it prints is kept for failure messages.
 */
final class BrowserScenario implements AutoCloseable {

    private static final Path SOURCES = ParleyUp.HOME.resolve("web-client/src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private final Process process;
    private final Writer stdin;
    private final List<String> output = new ArrayList<>();

    private BrowserScenario(Process process) {
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended; what it printed is kept
            }
        }, "browser-scenario-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Installs playwright-core (from the lock file, into {@code workDir}) and starts {@code script} with
     * {@code environment}. Chromium is not downloaded: the Debian package is used, as on CI (.ci/run installs it).
     */
    static BrowserScenario start(Path workDir, String script, Map<String, String> environment) {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("Chromium is needed for the browser tests and is not at " + CHROMIUM
                    + ": install it with `apt-get install -y chromium` (.ci/run does), or point CHROMIUM at one");
        }
        try {
            Files.createDirectories(workDir);
            try (Stream<Path> files = Files.list(SOURCES)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, workDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            run(workDir, "npm", "ci", "--no-audit", "--no-fund");
            ProcessBuilder builder = new ProcessBuilder("node", script).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            builder.environment().put("CHROMIUM", CHROMIUM.toString());
            return new BrowserScenario(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the browser scenario (are node and npm installed?)", e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ":\n" + printed);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code STEP name} and returns its detail (empty if none); fails early if the script failed. */
    String awaitStep(String name, Duration within) {
        String prefix = "STEP " + name;
        String[] found = new String[1];
        await(prefix + " from the browser").atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            synchronized (output) {
                for (String line : output) {
                    if (line.equals(prefix) || line.startsWith(prefix + " ")) {
                        found[0] = line.substring(prefix.length()).strip();
                        return true;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the browser scenario ended (exit " + process.exitValue() + ") before "
                        + prefix + ":\n" + output());
            }
            return false;
        });
        return found[0];
    }

    /** Lets the script go past {@code wait-<name>}. */
    void go(String name) {
        try {
            stdin.write("GO " + name + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the browser scenario stopped reading:\n" + output(), e);
        }
    }

    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the browser scenario did not end within " + within + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
