package dev.parley.benchmark;

import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Pinning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the numbers were measured on: CPUs, pinning, JVM, and how busy the machine already was. */
final class Environment {

    private Environment() {
    }

    static Results.Environment describe(Pinning pinning, String note) {
        return new Results.Environment(cpus(), pinning.describe(),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), loadAverage(),
                "both brokers: HiveMQ CE 2025.5 in its own JVM, -Xmx768m, G1, in-memory persistence, same config.xml "
                        + "and classpath; Parley adds only the extension folder",
                note == null ? "" : note);
    }

    /** The machine's CPUs, not this JVM's share (which pinning shrinks). */
    private static int cpus() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
