package dev.parley.benchmark.report;

import dev.parley.benchmark.measure.LatencySummary;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured: the shape of results.json, from which summary.md and the plots are made.
 * Latencies in ms, memory in bytes, CPU in cores (1.0 = one core busy for the whole window).
 */
public record Results(String startedAt, String mode, String command, Environment environment,
                      List<OneToOne> oneToOne, List<Groups> groups, List<Idle> idle, CatchUp catchUp, Login login,
                      History history,
                      List<NotMeasured> notMeasured, double durationSeconds) {

    public record Environment(int cpus, String pinning, String java, String os, String loadAverageAtStart,
                              String brokerJvm, String note) {
    }

    /**
     * The 1:1 workload against one target at rising offered rates. {@code cpuAtRest}: each process's CPU
     * over a few seconds with the devices connected and nothing sent, after the warm-up (background work
     * that the points' CPU includes).
     */
    public record OneToOne(String target, int users, int conversations, int textBytes, double stepSeconds,
                           double warmUpSeconds, int warmUpRate, Map<String, Double> cpuAtRest, List<RatePoint> points, int sustainedPerSecond,
                           int keptUpPerSecond) {
    }

    /**
     * The group fan-out workload against one target: {@code groups} groups of {@code members} members, one
     * device each; points at rising offered rates in messages/s over all groups, each message due at every
     * member's device, the sender's own included (plain: its subscription to the group topic; Parley: the
     * stored envelope on its users/{me}/messages), so deliveries/s = messages/s × members.
     */
    public record Groups(String target, int groups, int members, int textBytes, double stepSeconds,
                         List<RatePoint> points, int sustainedPerSecond, int keptUpPerSecond) {
    }

    /**
     * One offered rate (messages/s). {@code expected}: deliveries due, {@code sent} × receivers per message
     * (1:1: 1; groups: the members); {@code delivered}, {@code lost}, {@code duplicates} and
     * {@code deliveredPerSecond} count deliveries. {@code latency}: receive time at the recipient − scheduled
     * send time, one sample per delivery.
     * {@code ack}: PUBACK time − scheduled send time (Parley: stored). {@code echoes}: copies of the stored
     * envelope the sender's own device got (Parley only). {@code passed}: p99 &lt; 50 ms and every message
     * arrived exactly once, at each recipient, with a successful PUBACK. {@code keptUp}: exactly once, p50
     * &lt; 50 ms and at least 95 % of the offered deliveries/s delivered — the target was not overloaded, even if
     * a noisy neighbour pushed its p99 over the limit.
     */
    public record RatePoint(int offeredPerSecond, int sent, int expected, int delivered, int lost, int duplicates, int misrouted,
                            int ackErrors, long echoes, long receipts, double deliveredPerSecond,
                            LatencySummary latency, LatencySummary ack, Map<String, Double> cpuCores,
                            boolean passed, boolean keptUp) {
    }

    /** Memory per idle authenticated, subscribed connection: broker heap after full GC and RSS, before and after. */
    public record Idle(String target, int connections, double connectSeconds, double connectsPerSecond,
                       long heapUsedBeforeBytes, long heapUsedAfterBytes, long rssBeforeBytes, long rssAfterBytes,
                       double heapBytesPerConnection, double rssBytesPerConnection, Map<String, Double> cpuCoresWhileConnecting) {
    }

    /**
     * A device that missed {@code missed} messages (in {@code conversations} conversations) asks for them:
     * {@code catchUpSeconds} = last envelope received − first sync request sent. {@code fill*}: storing
     * them beforehand, closed loop (the senders' in-flight windows full).
     */
    public record CatchUp(int missed, int conversations, int received, int duplicates, int pages,
                          double catchUpSeconds, double envelopesPerSecond, double fillSeconds,
                          double fillPerSecond, int fillAckErrors, Map<String, Double> cpuCoresWhileCatchingUp) {
    }

    /** POST /v1/tokens (Argon2id check + token), closed loop with {@code workers} concurrent requests. */
    public record Login(int workers, double seconds, int logins, int errors, double loginsPerSecond,
                        LatencySummary latency, Map<String, Double> cpuCores) {
    }

    /**
     * GET /v1/conversations/{id}/messages pages of {@code pageSize} at random places in {@code conversations}
     * conversations holding {@code messages} in all, closed loop with {@code workers} concurrent requests.
     * {@code shortPages}: answers with fewer messages than asked (there should be none).
     */
    public record History(int messages, int conversations, int pageSize, int workers, double seconds, int pages,
                          int shortPages, int errors, double pagesPerSecond, LatencySummary latency,
                          Map<String, Double> cpuCores) {
    }

    /** A workload this run did not measure, and why (not built yet, failed). */
    public record NotMeasured(String workload, String reason) {
    }
}
