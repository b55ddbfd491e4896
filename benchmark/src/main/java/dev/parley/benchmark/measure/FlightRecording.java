package dev.parley.benchmark.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder profile of a running JVM under test, started and dumped with {@code jcmd} so
 * that the process runs exactly as it does unprofiled until the recording starts. {@link #stop()} writes
 * {@code profile-<name>.jfr} (open it in JDK Mission Control) and {@code profile-<name>.txt}: where the
 * CPU samples fell by thread pool, the hottest frames by self time, and the application frames that
 * most samples pass through.
 */
public final class FlightRecording {

    private static final String RECORDING = "parley-bench";
    /** Frames worth naming in the "passes through" table: Parley's, the broker's, the store's, Redis'. */
    private static final List<String> APPLICATION_PACKAGES = List.of("dev.parley.", "com.hivemq.",
            "org.apache.cassandra.", "com.datastax.", "io.lettuce.");
    private static final int ROWS = 30;

    private final String name;
    private final long pid;
    private final Path outDir;

    private FlightRecording(String name, long pid, Path outDir) {
        this.name = name;
        this.pid = pid;
        this.outDir = outDir;
    }

    /** Starts recording CPU samples (JFR's "profile" settings) in process {@code pid}. */
    public static FlightRecording start(String name, long pid, Path outDir) {
        jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=profile");
        return new FlightRecording(name, pid, outDir);
    }

    /** Dumps and stops the recording and writes its summary; returns the summary's path. */
    public Path stop() {
        try {
            Files.createDirectories(outDir);
            Path jfr = outDir.resolve("profile-" + name + ".jfr");
            jcmd(pid, "JFR.stop", "name=" + RECORDING, "filename=" + jfr);
            Path summary = outDir.resolve("profile-" + name + ".txt");
            Files.writeString(summary, summarize(jfr), StandardCharsets.UTF_8);
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String summarize(Path jfr) throws IOException {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> through = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            byThread.merge(thread == null ? "?" : thread.replaceAll("\\d+", "N"), 1, Integer::sum);
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(method(frames.get(0)), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = method(frame);
                if (APPLICATION_PACKAGES.stream().anyMatch(method::startsWith) && seen.add(method)) {
                    through.merge(method, 1, Integer::sum);
                }
            }
        }
        StringBuilder text = new StringBuilder();
        text.append("JFR CPU samples of ").append(name).append(" (pid ").append(pid).append("): ").append(samples)
                .append(" samples\n");
        table(text, "by thread pool (thread names with digits as N)", byThread, samples);
        table(text, "hottest frames (self)", self, samples);
        table(text, "application frames the samples pass through (inclusive)", through, samples);
        return text.toString();
    }

    private static void table(StringBuilder text, String title, Map<String, Integer> counts, int samples) {
        text.append("\n").append(title).append(":\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(ROWS)
                .forEach(e -> text.append(String.format("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(samples, 1),
                        e.getValue(), e.getKey())));
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void jcmd(long pid, String... command) {
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || output.contains("Exception")) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " on pid " + pid + " failed: "
                        + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }
}
