package dev.parley.benchmark.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** summary.md: the targets as ratios Parley / plain, every measured point, and how it was measured. */
public final class Summary {

    /** The store anchor of shared/RUNBOOK.md: plain inserts/s one Cassandra core sustains (21–23k). */
    static final double STORE_ANCHOR_PER_CORE = 22_000;

    private Summary() {
    }

    public static String markdown(Results r, List<String> plots) {
        StringBuilder md = new StringBuilder();
        md.append("# Parley benchmark: ").append(r.mode()).append(" run of ").append(r.startedAt()).append("\n\n");
        md.append("Command: `").append(r.command()).append("` (").append(r.durationSeconds()).append(" s in all)\n\n");
        Results.Environment e = r.environment();
        md.append("Machine: ").append(e.cpus()).append(" CPUs, ").append(e.os()).append(", ").append(e.java())
                .append("; load average at start ").append(e.loadAverageAtStart()).append(".\n");
        md.append("Pinning: ").append(e.pinning()).append(".\n");
        md.append("Brokers: ").append(e.brokerJvm()).append(".\n");
        if (!e.note().isBlank()) {
            md.append("Note: ").append(e.note()).append("\n");
        }
        md.append("\n");
        targets(md, r);
        oneToOne(md, r);
        groups(md, r);
        idle(md, r);
        catchUp(md, r);
        login(md, r);
        history(md, r);
        if (!r.notMeasured().isEmpty()) {
            md.append("## Not measured\n\n");
            r.notMeasured().forEach(n -> md.append("- **").append(n.workload()).append("**: ").append(n.reason()).append('\n'));
            md.append('\n');
        }
        if (!plots.isEmpty()) {
            md.append("## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n"));
            md.append('\n');
        }
        method(md);
        return md.toString();
    }

    private static void targets(StringBuilder md, Results r) {
        md.append("## Targets (reported, not asserted)\n\n");
        md.append("| target | measured | goal | met |\n| --- | --- | --- | --- |\n");
        Optional<Results.OneToOne> plain = oneToOne(r, "plain");
        Optional<Results.OneToOne> parley = oneToOne(r, "parley");
        if (plain.isPresent() && parley.isPresent()) {
            int p = plain.get().sustainedPerSecond();
            int d = parley.get().sustainedPerSecond();
            String ratio = p == 0 ? "–" : fmt((double) d / p);
            boolean ceiling = p > 0 && p == maxRate(plain.get());
            md.append("| durable 1:1 sustained rate (p99 < 50 ms, nothing lost) | Parley ").append(d).append(" / plain ")
                    .append(p).append(" msg/s = **").append(ratio).append("**")
                    .append(ceiling ? " (plain passed the highest rate offered: its real ceiling is higher, the ratio is an upper bound)" : "")
                    .append(" | ≥ 0.5 | ").append(p == 0 ? "–" : yes((double) d / p >= 0.5)).append(" |\n");
            int pk = plain.get().keptUpPerSecond();
            int dk = parley.get().keptUpPerSecond();
            boolean kCeiling = pk > 0 && pk == maxRate(plain.get());
            md.append("| 1:1 rate kept up with (nothing lost, p50 < 50 ms, ≥ 95 % delivered; robust to a noisy p99) | Parley ")
                    .append(dk).append(" / plain ").append(pk).append(" msg/s = **").append(pk == 0 ? "–" : fmt((double) dk / pk))
                    .append("**").append(kCeiling ? " (plain kept up with the highest rate offered: an upper bound)" : "")
                    .append(" | ≥ 0.5 | ").append(pk == 0 ? "–" : yes((double) dk / pk >= 0.5)).append(" |\n");
            Optional<Results.RatePoint> p1000 = point(plain.get(), 1000);
            Optional<Results.RatePoint> d1000 = point(parley.get(), 1000);
            if (p1000.isPresent() && d1000.isPresent()) {
                double added = d1000.get().latency().p50Ms() - p1000.get().latency().p50Ms();
                md.append("| added p50 at 1,000 msg/s | ").append(fmt(d1000.get().latency().p50Ms())).append(" − ")
                        .append(fmt(p1000.get().latency().p50Ms())).append(" = **").append(fmt(added))
                        .append(" ms** | ≤ 5 ms | ").append(yes(added <= 5)).append(" |\n");
            } else {
                md.append("| added p50 at 1,000 msg/s | no 1,000 msg/s point for both targets in this run ("
                        + (r.mode().equals("quick") ? "quick mode" : "a target stopped below it") + ") | ≤ 5 ms | – |\n");
            }
            int durable = Math.max(d, dk);
            md.append("| Parley durable rate (kept up with) vs the store anchor (~22k plain inserts/s per Cassandra core) | ")
                    .append(durable).append(" / 22,000 = **").append(fmt(durable / STORE_ANCHOR_PER_CORE)).append("**")
                    .append(cassandraCores(parley.get(), durable)).append(" | (context) | – |\n");
        } else {
            md.append("| durable 1:1 sustained rate | not measured (see below) | ≥ 0.5 × plain | – |\n");
        }
        groupTargets(md, r);
        Optional<Results.Idle> plainIdle = r.idle().stream().filter(i -> i.target().equals("plain")).findFirst();
        Optional<Results.Idle> parleyIdle = r.idle().stream().filter(i -> i.target().equals("parley")).findFirst();
        if (plainIdle.isPresent() && parleyIdle.isPresent()) {
            double heapRatio = parleyIdle.get().heapBytesPerConnection() / plainIdle.get().heapBytesPerConnection();
            double rssRatio = parleyIdle.get().rssBytesPerConnection() / plainIdle.get().rssBytesPerConnection();
            md.append("| memory per idle authenticated connection | heap after GC: Parley ")
                    .append(bytes(parleyIdle.get().heapBytesPerConnection())).append(" / plain ")
                    .append(bytes(plainIdle.get().heapBytesPerConnection())).append(" = **").append(fmt(heapRatio))
                    .append("** (RSS: ").append(bytes(parleyIdle.get().rssBytesPerConnection())).append(" / ")
                    .append(bytes(plainIdle.get().rssBytesPerConnection())).append(" = ").append(fmt(rssRatio))
                    .append(") | ≤ 1.2 | ").append(yes(heapRatio <= 1.2)).append(" |\n");
        } else {
            md.append("| memory per idle authenticated connection | not measured | ≤ 1.2 × plain | – |\n");
        }
        if (r.catchUp() != null) {
            Results.CatchUp c = r.catchUp();
            md.append("| catch-up of ").append(String.format("%,d", c.missed())).append(" missed messages | **")
                    .append(fmt(c.catchUpSeconds())).append(" s** (").append(c.received()).append(" received)")
                    .append(" | < 2 s for 10,000 | ").append(c.missed() >= 10_000 ? yes(c.catchUpSeconds() < 2
                            && c.received() == c.missed()) : "– (quick mode: fewer messages)").append(" |\n");
        } else {
            md.append("| catch-up of 10,000 missed messages | not measured | < 2 s | – |\n");
        }
        md.append('\n');
    }

    /** Deliveries/s at the highest rate each target kept up with (nothing lost, p50 < 50 ms, ≥ 95 % delivered). */
    private static void groupTargets(StringBuilder md, Results r) {
        Optional<Results.Groups> plain = groups(r, "plain");
        Optional<Results.Groups> parley = groups(r, "parley");
        if (plain.isEmpty() || parley.isEmpty()) {
            md.append("| group fan-out deliveries/s | not measured (see below) | ≥ 0.5 × plain | – |\n");
            return;
        }
        int members = plain.get().members();
        int pk = plain.get().keptUpPerSecond() * members;
        int dk = parley.get().keptUpPerSecond() * members;
        boolean ceiling = plain.get().keptUpPerSecond() > 0
                && plain.get().keptUpPerSecond() == maxRate(plain.get().points());
        md.append("| group fan-out deliveries/s kept up with (").append(plain.get().groups()).append(" × ").append(members)
                .append(" members; nothing lost, p50 < 50 ms, ≥ 95 % delivered) | Parley ").append(dk).append(" / plain ")
                .append(pk).append(" deliveries/s = **").append(pk == 0 ? "–" : fmt((double) dk / pk)).append("**")
                .append(ceiling ? " (plain kept up with the highest rate offered: an upper bound)" : "")
                .append(" | ≥ 0.5 | ").append(pk == 0 ? "–" : yes((double) dk / pk >= 0.5)).append(" |\n");
        int ps = plain.get().sustainedPerSecond() * members;
        int ds = parley.get().sustainedPerSecond() * members;
        md.append("| group fan-out deliveries/s sustained (p99 < 50 ms, nothing lost) | Parley ").append(ds)
                .append(" / plain ").append(ps).append(" deliveries/s = **").append(ps == 0 ? "–" : fmt((double) ds / ps))
                .append("** | ≥ 0.5 | ").append(ps == 0 ? "–" : yes((double) ds / ps >= 0.5)).append(" |\n");
    }

    private static String cassandraCores(Results.OneToOne parley, int sustained) {
        Optional<Results.RatePoint> at = point(parley, sustained);
        if (at.isEmpty() || !at.get().cpuCores().containsKey("cassandra")) {
            return "";
        }
        double cores = at.get().cpuCores().get("cassandra");
        return String.format("; Cassandra used %.2f cores there, i.e. %.0f msg/s per Cassandra core = %s of the anchor",
                cores, sustained / Math.max(cores, 0.01), fmt(sustained / Math.max(cores, 0.01) / STORE_ANCHOR_PER_CORE));
    }

    private static void oneToOne(StringBuilder md, Results r) {
        if (r.oneToOne().isEmpty()) {
            return;
        }
        Results.OneToOne any = r.oneToOne().get(0);
        md.append("## 1:1 messages at rising offered rates\n\n");
        md.append(any.users()).append(" users, one device each, in ").append(any.conversations())
                .append(" random fixed pairs; QoS 1; ").append(any.textBytes()).append("-byte texts; ")
                .append(any.stepSeconds()).append(" s per rate, open-loop schedule, after an unrecorded warm-up of ")
                .append(any.warmUpSeconds()).append(" s at ").append(any.warmUpRate())
                .append(" msg/s on each target. Latency = receive time at the recipient − "
                        + "scheduled send time (ms). A point passes when p99 < 50 ms and every message arrived exactly once "
                        + "with a successful PUBACK. CPU in cores while sending.\n\n");
        md.append("| offered msg/s | delivered/s plain | Parley | ratio | p50 plain | Parley | ratio | p99 plain | Parley | ratio "
                + "| lost+dup plain | Parley | CPU plain | CPU Parley | pass (kept up) plain | Parley |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Optional<Results.OneToOne> plain = oneToOne(r, "plain");
        Optional<Results.OneToOne> parley = oneToOne(r, "parley");
        TreeSet<Integer> rates = new TreeSet<>();
        r.oneToOne().forEach(run -> run.points().forEach(p -> rates.add(p.offeredPerSecond())));
        for (int rate : rates) {
            Optional<Results.RatePoint> p = plain.flatMap(run -> point(run, rate));
            Optional<Results.RatePoint> d = parley.flatMap(run -> point(run, rate));
            md.append("| ").append(rate)
                    .append(" | ").append(val(p.map(Results.RatePoint::deliveredPerSecond)))
                    .append(" | ").append(val(d.map(Results.RatePoint::deliveredPerSecond)))
                    .append(" | ").append(ratio(p.map(Results.RatePoint::deliveredPerSecond), d.map(Results.RatePoint::deliveredPerSecond)))
                    .append(" | ").append(val(p.map(x -> x.latency().p50Ms())))
                    .append(" | ").append(val(d.map(x -> x.latency().p50Ms())))
                    .append(" | ").append(ratio(p.map(x -> x.latency().p50Ms()), d.map(x -> x.latency().p50Ms())))
                    .append(" | ").append(val(p.map(x -> x.latency().p99Ms())))
                    .append(" | ").append(val(d.map(x -> x.latency().p99Ms())))
                    .append(" | ").append(ratio(p.map(x -> x.latency().p99Ms()), d.map(x -> x.latency().p99Ms())))
                    .append(" | ").append(p.map(x -> (x.lost() + x.duplicates()) + "").orElse("–"))
                    .append(" | ").append(d.map(x -> (x.lost() + x.duplicates()) + "").orElse("–"))
                    .append(" | ").append(p.map(x -> cpu(x.cpuCores())).orElse("–"))
                    .append(" | ").append(d.map(x -> cpu(x.cpuCores())).orElse("–"))
                    .append(" | ").append(p.map(Summary::verdict).orElse("–"))
                    .append(" | ").append(d.map(Summary::verdict).orElse("–")).append(" |\n");
        }
        md.append("\nCPU at rest (devices connected, nothing sent, after the warm-up; included in the points' CPU): ");
        r.oneToOne().forEach(run -> md.append(run.target()).append(" ").append(cpu(run.cpuAtRest())).append("; "));
        md.append("\n\nPUBACK latency (scheduled send → PUBACK; on Parley: stored) p50/p99 ms: ");
        for (Results.OneToOne run : r.oneToOne()) {
            md.append(run.target()).append(" ");
            run.points().forEach(p -> md.append(p.offeredPerSecond()).append(": ").append(fmt(p.ack().p50Ms()))
                    .append("/").append(fmt(p.ack().p99Ms())).append("; "));
        }
        md.append("\nParley also delivers each stored envelope to the sender's own device (\"echoes\") and "
                + "publishes delivered receipts to the sender: per point, echoes ");
        parley.ifPresent(run -> run.points().forEach(p -> md.append(p.offeredPerSecond()).append(": ")
                .append(p.echoes()).append(" ")));
        md.append(", receipts ");
        parley.ifPresent(run -> run.points().forEach(p -> md.append(p.offeredPerSecond()).append(": ")
                .append(p.receipts()).append(" ")));
        md.append(".\n\n");
    }

    private static void groups(StringBuilder md, Results r) {
        if (r.groups().isEmpty()) {
            return;
        }
        Results.Groups any = r.groups().get(0);
        md.append("## Group fan-out at rising offered rates\n\n");
        md.append(any.groups()).append(" groups of ").append(any.members()).append(" members, one device each; QoS 1; ")
                .append(any.textBytes()).append("-byte texts; ").append(any.stepSeconds()).append(" s per rate, open-loop "
                        + "schedule; rate = messages/s over all groups, each from a random member to its group. Every "
                        + "message is due once at every member's device, **the sender's own included** (plain: its "
                        + "subscription to groups/{id}/messages; Parley: the stored envelope on users/{me}/messages), so "
                        + "deliveries/s = rate × ").append(any.members()).append(". Latency = receive time − scheduled send "
                        + "time, one sample per delivery (ms). Pass: p99 < 50 ms and every delivery exactly once.\n\n");
        md.append("| offered msg/s | deliveries/s offered | delivered/s plain | Parley | ratio | p50 plain | Parley | ratio "
                + "| p99 plain | Parley | ratio | lost+dup plain | Parley | CPU plain | CPU Parley | pass (kept up) plain | Parley |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Optional<Results.Groups> plain = groups(r, "plain");
        Optional<Results.Groups> parley = groups(r, "parley");
        TreeSet<Integer> rates = new TreeSet<>();
        r.groups().forEach(run -> run.points().forEach(p -> rates.add(p.offeredPerSecond())));
        for (int rate : rates) {
            Optional<Results.RatePoint> p = plain.flatMap(run -> point(run.points(), rate));
            Optional<Results.RatePoint> d = parley.flatMap(run -> point(run.points(), rate));
            md.append("| ").append(rate).append(" | ").append(rate * any.members())
                    .append(" | ").append(val(p.map(Results.RatePoint::deliveredPerSecond)))
                    .append(" | ").append(val(d.map(Results.RatePoint::deliveredPerSecond)))
                    .append(" | ").append(ratio(p.map(Results.RatePoint::deliveredPerSecond), d.map(Results.RatePoint::deliveredPerSecond)))
                    .append(" | ").append(val(p.map(x -> x.latency().p50Ms())))
                    .append(" | ").append(val(d.map(x -> x.latency().p50Ms())))
                    .append(" | ").append(ratio(p.map(x -> x.latency().p50Ms()), d.map(x -> x.latency().p50Ms())))
                    .append(" | ").append(val(p.map(x -> x.latency().p99Ms())))
                    .append(" | ").append(val(d.map(x -> x.latency().p99Ms())))
                    .append(" | ").append(ratio(p.map(x -> x.latency().p99Ms()), d.map(x -> x.latency().p99Ms())))
                    .append(" | ").append(p.map(x -> (x.lost() + x.duplicates()) + "").orElse("–"))
                    .append(" | ").append(d.map(x -> (x.lost() + x.duplicates()) + "").orElse("–"))
                    .append(" | ").append(p.map(x -> cpu(x.cpuCores())).orElse("–"))
                    .append(" | ").append(d.map(x -> cpu(x.cpuCores())).orElse("–"))
                    .append(" | ").append(p.map(Summary::verdict).orElse("–"))
                    .append(" | ").append(d.map(Summary::verdict).orElse("–")).append(" |\n");
        }
        md.append("\nParley also publishes coalesced group receipt digests (at most one delivered digest per group per "
                + "second per member) on users/{me}/receipts: per point ");
        parley.ifPresent(run -> run.points().forEach(p -> md.append(p.offeredPerSecond()).append(": ")
                .append(p.receipts()).append(" ")));
        md.append(".\n\n");
    }

    private static void idle(StringBuilder md, Results r) {
        if (r.idle().isEmpty()) {
            return;
        }
        md.append("## Idle authenticated connections\n\n");
        md.append("Each device its own user, connected (Parley: with its access token) and subscribed to its three "
                + "topics, then idle. Broker heap after a full GC (jcmd GC.run) and RSS, before and after.\n\n");
        md.append("| target | connections | connect time s | connects/s | heap before | heap after | heap/conn | RSS before "
                + "| RSS after | RSS/conn | CPU while connecting |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Idle i : r.idle()) {
            md.append("| ").append(i.target()).append(" | ").append(i.connections()).append(" | ").append(fmt(i.connectSeconds()))
                    .append(" | ").append(fmt(i.connectsPerSecond())).append(" | ").append(bytes(i.heapUsedBeforeBytes()))
                    .append(" | ").append(bytes(i.heapUsedAfterBytes())).append(" | ").append(bytes(i.heapBytesPerConnection()))
                    .append(" | ").append(bytes(i.rssBeforeBytes())).append(" | ").append(bytes(i.rssAfterBytes()))
                    .append(" | ").append(bytes(i.rssBytesPerConnection())).append(" | ").append(cpu(i.cpuCoresWhileConnecting()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void catchUp(StringBuilder md, Results r) {
        if (r.catchUp() == null) {
            return;
        }
        Results.CatchUp c = r.catchUp();
        md.append("## Catch-up (Parley only)\n\n");
        md.append(String.format("A device that missed %,d messages in %d conversations asks on users/{me}/sync, page by page "
                        + "(500 per page): %d received (%d duplicates) in **%s s** (%s envelopes/s, %d pages), CPU %s. "
                        + "Storing them first, closed loop from %d senders: %s s (%s msg/s, %d errors). Plain HiveMQ has no "
                        + "equivalent (it queues at most 1,000 messages per offline client and keeps no history).%n%n",
                c.missed(), c.conversations(), c.received(), c.duplicates(), fmt(c.catchUpSeconds()),
                fmt(c.envelopesPerSecond()), c.pages(), cpu(c.cpuCoresWhileCatchingUp()), c.conversations(),
                fmt(c.fillSeconds()), fmt(c.fillPerSecond()), c.fillAckErrors()));
    }

    private static void login(StringBuilder md, Results r) {
        if (r.login() == null) {
            return;
        }
        Results.Login l = r.login();
        md.append("## Login (Parley only)\n\n");
        md.append(String.format("POST /v1/tokens (Argon2id password check, device recorded, token issued), %d in flight "
                        + "for %s s: **%s logins/s**, p50 %s ms, p99 %s ms, %d errors; CPU %s.%n%n", l.workers(), fmt(l.seconds()),
                fmt(l.loginsPerSecond()), fmt(l.latency().p50Ms()), fmt(l.latency().p99Ms()), l.errors(), cpu(l.cpuCores())));
    }

    private static void history(StringBuilder md, Results r) {
        if (r.history() == null) {
            return;
        }
        Results.History h = r.history();
        md.append("## History pages (Parley only)\n\n");
        md.append(String.format("GET /v1/conversations/{id}/messages?beforeSeq=&limit=%d at random places in %d conversations "
                        + "of %,d messages in all, %d in flight for %s s: **%s pages/s**, p50 %s ms, p99 %s ms, %d errors, "
                        + "%d short pages; CPU %s.%n%n", h.pageSize(), h.conversations(), h.messages(), h.workers(),
                fmt(h.seconds()), fmt(h.pagesPerSecond()), fmt(h.latency().p50Ms()), fmt(h.latency().p99Ms()), h.errors(),
                h.shortPages(), cpu(h.cpuCores())));
    }

    private static void method(StringBuilder md) {
        md.append("## How it is measured\n\n");
        md.append("""
                - One command starts everything on loopback: a plain HiveMQ CE 2025.5 JVM without extension, then the \
                Parley stack (Cassandra 5.0 with 512 MiB heap, Redis, HiveMQ CE 2025.5 with the packaged Parley extension; \
                persistence-service only for login), runs the workloads, stops each target before the next starts.
                - Load generator: HiveMQ MQTT client (MQTT 5, netty, one shared event loop) in the benchmark JVM; open-loop \
                schedule (message i is due at start + i/rate, whatever happened before), HdrHistogram for latencies.
                - Same seed for both targets: same pairs, same senders, same message order.
                - Groups: on plain HiveMQ the members subscribe to groups/{id}/messages and a publish there reaches them \
                all; on Parley the groups are created in the store as persistence-service does (roster, roster version \
                in Redis, created change on the stream), and the broker stores each message once, then publishes the \
                stored envelope to every member's users/{id}/messages. The sender's copy counts as a delivery on both.
                - On plain HiveMQ a 1:1 message is a publish to users/{to}/messages with the recipient subscribed; on \
                Parley the same publish is validated, deduplicated, sequenced, stored in Cassandra (LOCAL_QUORUM, RF 1) \
                before its PUBACK, and the stored envelope goes to the recipient and to the sender's device.
                - CPU from /proc/<pid>/stat (user + system) of each process over the sending window; memory from \
                /proc/<pid>/status and jcmd GC.heap_info after GC.run.
                - Numbers on a shared 2-core machine are noisy (±2× between runs is usual here): compare ratios from \
                the same run, not absolute numbers across runs.
                """);
    }

    private static Optional<Results.OneToOne> oneToOne(Results r, String target) {
        return r.oneToOne().stream().filter(o -> o.target().equals(target)).findFirst();
    }

    private static Optional<Results.Groups> groups(Results r, String target) {
        return r.groups().stream().filter(o -> o.target().equals(target)).findFirst();
    }

    private static Optional<Results.RatePoint> point(Results.OneToOne run, int rate) {
        return point(run.points(), rate);
    }

    private static Optional<Results.RatePoint> point(List<Results.RatePoint> points, int rate) {
        return points.stream().filter(p -> p.offeredPerSecond() == rate).findFirst();
    }

    private static int maxRate(Results.OneToOne run) {
        return maxRate(run.points());
    }

    private static int maxRate(List<Results.RatePoint> points) {
        return points.stream().mapToInt(Results.RatePoint::offeredPerSecond).max().orElse(0);
    }

    private static String val(Optional<Double> value) {
        return value.map(Summary::fmt).orElse("–");
    }

    private static String ratio(Optional<Double> plain, Optional<Double> parley) {
        if (plain.isEmpty() || parley.isEmpty() || plain.get() == 0) {
            return "–";
        }
        return fmt(parley.get() / plain.get());
    }

    private static String cpu(Map<String, Double> cores) {
        StringBuilder text = new StringBuilder();
        cores.forEach((name, value) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(fmt(value)));
        return text.toString();
    }

    private static String verdict(Results.RatePoint point) {
        return yes(point.passed()) + " (" + (point.keptUp() ? "yes" : "**no**") + ")";
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    static String fmt(double value) {
        if (Math.abs(value) >= 100) {
            return String.format("%,.0f", value);
        }
        return String.format("%.2f", value);
    }

    private static String bytes(double value) {
        if (Math.abs(value) >= 1024 * 1024) {
            return String.format("%.1f MiB", value / 1024 / 1024);
        }
        if (Math.abs(value) >= 1024) {
            return String.format("%.1f KiB", value / 1024);
        }
        return String.format("%.0f B", value);
    }
}
