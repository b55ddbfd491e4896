package dev.parley.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A Parley JVM process (a Quarkus service or the broker) that reports readiness over HTTP. */
public final class JavaService {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private JavaService() {
    }

    /**
     * Starts {@code java <jvmArgs> <launch...>} and waits until {@code readyUrl} answers 200.
     *
     * @param launch for example {@code -jar app.jar} or {@code -cp cp MainClass args}
     */
    public static ChildProcess start(String name, List<String> jvmArgs, List<String> launch, Path logFile,
                                     URI readyUrl, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(JavaRuntimes.current());
        command.addAll(jvmArgs);
        command.addAll(launch);
        ChildProcess process = ChildProcess.start(name, command, logFile, Map.of());
        awaitReady(process, readyUrl, timeout);
        return process;
    }

    public static boolean isReady(URI readyUrl) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void requireFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new DevStackException(what + " is not built (" + file + " is missing): run `./parley build`");
        }
    }

    private static void awaitReady(ChildProcess process, URI readyUrl, Duration timeout) {
        awaitReady(process, () -> isReady(readyUrl), "ready at " + readyUrl, timeout);
    }

    /**
     * Waits until {@code ready} holds; fails with the process's log tail if it exits first or the timeout
     * passes (then it is stopped). {@code what}: the condition, for the message ("ready at …").
     */
    public static void awaitReady(ChildProcess process, BooleanSupplier ready, String what, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new DevStackException(process.name() + " exited during startup; its log ("
                        + process.logFile() + ") ends with:\n" + process.logTail(20));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            CassandraNode.pause();
        }
        process.stop(Duration.ofSeconds(10));
        throw new DevStackException(process.name() + " was not " + what + " within "
                + timeout.toSeconds() + " s; its log (" + process.logFile() + ") ends with:\n" + process.logTail(20));
    }
}
