package dev.parley.benchmark.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM (the broker) retains: heap used right after a full GC, asked of the running JVM with
 * {@code jcmd} (the JDK's own tool, no agent), plus its resident set size. Heap after GC is what the
 * connections really hold; RSS also moves with heap sizing and is reported beside it.
 */
public final class JvmMemory {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** @param heapUsedBytes heap in use after a full GC; -1 when jcmd could not tell */
    public record Snapshot(long heapUsedBytes, long rssBytes) {
    }

    private JvmMemory() {
    }

    public static Snapshot afterFullGc(long pid) {
        // GC.run returns when the collection is done: the heap can be read at once.
        jcmd(pid, "GC.run");
        long heap = -1;
        // G1 prints one heap line; the serial and parallel collectors one line per generation: add them up.
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            Matcher used = USED.matcher(line);
            if (!line.contains("Metaspace") && !line.contains("class space") && used.find()) {
                heap = Math.max(heap, 0) + Long.parseLong(used.group(1)) * 1024;
            }
        }
        return new Snapshot(heap, ProcessStats.rssBytes(pid));
    }

    private static String jcmd(long pid, String command) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jcmd = java.endsWith("/java") ? java.substring(0, java.length() - 4) + "jcmd" : "jcmd";
        try {
            Process process = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
