package dev.parley.benchmark.measure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU of each named process over a measured window, in cores (1.0 = one core busy all the time).
 * Start one at the beginning of the window, call {@link #coresUsed()} at its end.
 */
public final class CpuMeter {

    private final Map<String, Long> pids;
    private final Map<String, Double> startSeconds = new LinkedHashMap<>();
    private final long startNanos;

    private CpuMeter(Map<String, Long> pids) {
        this.pids = Map.copyOf(pids);
        pids.forEach((name, pid) -> startSeconds.put(name, ProcessStats.cpuSeconds(pid)));
        this.startNanos = System.nanoTime();
    }

    /** @param pids process name → pid, e.g. broker, cassandra, load-generator */
    public static CpuMeter start(Map<String, Long> pids) {
        return new CpuMeter(pids);
    }

    public Map<String, Double> coresUsed() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        startSeconds.forEach((name, before) -> cores.put(name,
                round((ProcessStats.cpuSeconds(pids.get(name)) - before) / Math.max(wall, 1e-3))));
        return cores;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
