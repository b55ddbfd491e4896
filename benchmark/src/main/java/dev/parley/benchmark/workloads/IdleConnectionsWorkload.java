package dev.parley.benchmark.workloads;

import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.measure.CpuMeter;
import dev.parley.benchmark.measure.JvmMemory;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Target;
import dev.parley.protocol.ClientIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What an idle device costs the broker: {@code connections} authenticated devices (each its own user,
 * Parley: with its access token) connect and subscribe to their own topics, then do nothing. The broker's
 * heap after a full GC and its RSS are read before and after; the difference divided by the number of
 * connections is the memory per connection. The connect rate is a by-product (MQTT login rate).
 */
public final class IdleConnectionsWorkload {

    private static final int WARM_UP_CONNECTIONS = 100;

    private final int connections;
    private final Consumer<String> progress;

    public IdleConnectionsWorkload(int connections, Consumer<String> progress) {
        this.connections = connections;
        this.progress = progress;
    }

    public Results.Idle run(Target target) {
        List<ClientIdentity> devices = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            devices.add(new ClientIdentity(UUID.randomUUID(), "idle"));
        }
        // A first small batch loads the broker's connection classes and lazily built structures, which
        // are not per-connection costs; only then is the baseline taken.
        List<ClientIdentity> warmUp = new ArrayList<>();
        for (int i = 0; i < WARM_UP_CONNECTIONS; i++) {
            warmUp.add(new ClientIdentity(UUID.randomUUID(), "warm"));
        }
        Fleet.connect(target, warmUp, true, (device, publish) -> { }).close();
        RisingRates.pause(Duration.ofSeconds(1));
        JvmMemory.Snapshot before = JvmMemory.afterFullGc(target.brokerPid());
        CpuMeter cpu = CpuMeter.start(Map.of("broker", target.brokerPid(),
                "load-generator", ProcessHandle.current().pid()));
        long start = System.nanoTime();
        try (Fleet fleet = Fleet.connect(target, devices, true, (device, publish) -> { })) {
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> cores = cpu.coresUsed();
            RisingRates.pause(Duration.ofSeconds(2)); // let connection setup garbage become garbage
            JvmMemory.Snapshot after = JvmMemory.afterFullGc(target.brokerPid());
            Results.Idle result = new Results.Idle(target.name(), fleet.size(), round(connectSeconds),
                    round(fleet.size() / connectSeconds), before.heapUsedBytes(), after.heapUsedBytes(),
                    before.rssBytes(), after.rssBytes(),
                    round((double) (after.heapUsedBytes() - before.heapUsedBytes()) / fleet.size()),
                    round((double) (after.rssBytes() - before.rssBytes()) / fleet.size()), cores);
            progress.accept(String.format("  idle on %-6s %d connections in %.1f s: %.0f B heap, %.0f B RSS per connection",
                    target.name(), fleet.size(), connectSeconds, result.heapBytesPerConnection(),
                    result.rssBytesPerConnection()));
            return result;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
