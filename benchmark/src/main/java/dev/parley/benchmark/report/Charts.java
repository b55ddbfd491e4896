package dev.parley.benchmark.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plots (XChart): 1:1 latency percentiles, throughput and CPU against offered rate; group fan-out
 * latency and deliveries/s against offered rate; idle memory.
 */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    private Charts() {
    }

    /** @return the file names written */
    public static List<String> write(Results results, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        if (!results.oneToOne().isEmpty()) {
            written.add(save(latency(results), dir, "latency-1to1"));
            written.add(save(throughput(results), dir, "throughput-1to1"));
            written.add(save(cpu(results), dir, "cpu-1to1"));
        }
        if (!results.groups().isEmpty()) {
            written.add(save(groupLatency(results), dir, "latency-groups"));
            written.add(save(groupThroughput(results), dir, "throughput-groups"));
        }
        if (!results.idle().isEmpty()) {
            written.add(save(idleMemory(results), dir, "memory-idle-connections"));
        }
        return written;
    }

    private static XYChart latency(Results results) {
        XYChart chart = xy("1:1 latency (receive time - scheduled send time)", "ms (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        for (Results.OneToOne run : results.oneToOne()) {
            series(chart, run.target() + " p50", run, p -> p.latency().p50Ms());
            series(chart, run.target() + " p99", run, p -> p.latency().p99Ms());
        }
        double[] rates = allRates(results);
        chart.addSeries("p99 limit (50 ms)", rates, constant(rates.length, 50)).setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static XYChart throughput(Results results) {
        XYChart chart = xy("1:1 throughput: delivered messages/s", "messages/s");
        double[] rates = allRates(results);
        chart.addSeries("offered", rates, rates).setMarker(SeriesMarkers.NONE);
        for (Results.OneToOne run : results.oneToOne()) {
            series(chart, run.target() + " delivered", run, Results.RatePoint::deliveredPerSecond);
        }
        return chart;
    }

    private static XYChart cpu(Results results) {
        XYChart chart = xy("1:1 CPU of each process while sending", "cores");
        for (Results.OneToOne run : results.oneToOne()) {
            if (run.points().isEmpty()) {
                continue;
            }
            for (String process : run.points().get(0).cpuCores().keySet()) {
                series(chart, run.target() + " " + process, run, p -> p.cpuCores().getOrDefault(process, 0.0));
            }
        }
        return chart;
    }

    private static XYChart groupLatency(Results results) {
        XYChart chart = xy("Group fan-out latency per delivery (receive time - scheduled send time)", "ms (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        for (Results.Groups run : results.groups()) {
            series(chart, run.target() + " p50", run.points(), p -> p.latency().p50Ms());
            series(chart, run.target() + " p99", run.points(), p -> p.latency().p99Ms());
        }
        double[] rates = rates(results.groups().stream().flatMap(g -> g.points().stream()).toList());
        if (rates.length > 0) {
            chart.addSeries("p99 limit (50 ms)", rates, constant(rates.length, 50)).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static XYChart groupThroughput(Results results) {
        XYChart chart = xy("Group fan-out: deliveries/s (every member, sender included)", "deliveries/s");
        double[] rates = rates(results.groups().stream().flatMap(g -> g.points().stream()).toList());
        int members = results.groups().get(0).members();
        if (rates.length > 0) {
            chart.addSeries("offered", rates, java.util.Arrays.stream(rates).map(r -> r * members).toArray())
                    .setMarker(SeriesMarkers.NONE);
        }
        for (Results.Groups run : results.groups()) {
            series(chart, run.target() + " delivered", run.points(), Results.RatePoint::deliveredPerSecond);
        }
        return chart;
    }

    private static CategoryChart idleMemory(Results results) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Broker memory per idle authenticated connection").xAxisTitle("target").yAxisTitle("bytes")
                .build();
        List<String> targets = results.idle().stream().map(Results.Idle::target).toList();
        chart.addSeries("heap after full GC", targets,
                results.idle().stream().map(i -> (Number) i.heapBytesPerConnection()).toList());
        chart.addSeries("RSS", targets, results.idle().stream().map(i -> (Number) i.rssBytesPerConnection()).toList());
        return chart;
    }

    private static XYChart xy(String title, String yAxis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("offered rate (messages/s)").yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return chart;
    }

    private static void series(XYChart chart, String name, Results.OneToOne run,
                               ToDoubleFunction<Results.RatePoint> value) {
        series(chart, name, run.points(), value);
    }

    private static void series(XYChart chart, String name, List<Results.RatePoint> points,
                               ToDoubleFunction<Results.RatePoint> value) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = points.stream().mapToDouble(Results.RatePoint::offeredPerSecond).toArray();
        // A log axis cannot show 0: a point too fast to measure is drawn at 0.01.
        double[] y = points.stream().mapToDouble(value).map(v -> Math.max(v, 0.01)).toArray();
        chart.addSeries(name, x, y);
    }

    private static double[] allRates(Results results) {
        return rates(results.oneToOne().stream().flatMap(r -> r.points().stream()).toList());
    }

    private static double[] rates(List<Results.RatePoint> points) {
        return points.stream().mapToDouble(Results.RatePoint::offeredPerSecond).distinct().sorted().toArray();
    }

    private static double[] constant(int length, double value) {
        double[] values = new double[length];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path dir, String name)
            throws IOException {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name + ".png";
    }
}
