package dev.parley.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping, restarting and refusing to start, as a developer meets them. */
class StackLifecycleTest {

    @TempDir
    Path workDir;

    @Test
    @Timeout(600)
    void ctrlCStopsEveryProcessAndARestartKeepsTheData() {
        Path data = workDir.resolve("data");
        UserRecord written = new UserRecord(UUID.randomUUID(), "restart-" + UUID.randomUUID(), "Written In Run One",
                null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));

        try (ParleyUp first = ParleyUp.startAndAwaitReady(data)) {
            List<Long> children = first.childPids();
            assertThat(children).hasSize(6);
            // Everything the launcher started, directly or not: also what it may have lost track of.
            List<ProcessHandle> descendants = first.process().descendants().toList();
            assertThat(descendants.size()).isGreaterThanOrEqualTo(children.size());
            withUsers(first.stack(), users -> users.insert(written).toCompletableFuture().join());

            // 130 = 128 + SIGINT: what a shell reports for a program stopped with Ctrl-C.
            assertThat(first.interrupt()).isEqualTo(130);
            assertThat(first.output()).contains("Parley stopped.");
            assertThat(children).allSatisfy(pid ->
                    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid " + pid).isNotEqualTo(Optional.of(true)));
            assertThat(descendants).allSatisfy(process ->
                    assertThat(process.isAlive()).as("descendant " + process.pid() + " " + process.info().commandLine()
                            .orElse("")).isFalse());
        }

        try (ParleyUp second = ParleyUp.startAndAwaitReady(data)) {
            withUsers(second.stack(), users ->
                    assertThat(users.find(written.userId()).toCompletableFuture().join()).contains(written));
            assertThat(second.interrupt()).isEqualTo(130);
        }
    }

    @Test
    @Timeout(120)
    void aTakenCassandraPortIsNamedInOneLineAndTheExitCodeIsNotZero() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (ParleyUp up = ParleyUp.start(workDir.resolve("data"), "--cassandra-port", Integer.toString(port))) {
                assertThat(up.process().waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
                assertThat(up.process().exitValue()).isNotZero();
                List<String> errors = up.output().lines().filter(l -> l.startsWith("parley:")).toList();
                assertThat(errors).hasSize(1);
                assertThat(errors.get(0)).contains("port " + port + " (Cassandra CQL) is already in use")
                        .contains("--cassandra-port");
                assertThat(up.output()).as("no stack trace, only the one line")
                        .doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(up.process().descendants().filter(ProcessHandle::isAlive).toList())
                        .as("nothing was started").isEmpty();
            }
        }
    }

    private static void withUsers(Properties stack, java.util.function.Consumer<UserStore> action) {
        String[] cql = stack.getProperty("cassandra").split(":");
        try (CqlSession session = CassandraSessions.open(
                CassandraSettings.local(cql[0], Integer.parseInt(cql[1]), "parley"), "lifecycle-test")
                .toCompletableFuture().join()) {
            action.accept(new UserStore(session, "parley"));
        }
    }
}
