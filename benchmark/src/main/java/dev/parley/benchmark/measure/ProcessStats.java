package dev.parley.benchmark.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from Linux's /proc: the same numbers {@code top}
 * shows, for the broker, Cassandra, Redis and the load generator alike (no agent in any of them).
 */
public final class ProcessStats {

    /** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ, `getconf CLK_TCK`). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** User + system CPU seconds the process (all its threads) has used since it started; 0 when it is gone. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident set size in bytes (VmRSS); 0 when the process is gone. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
