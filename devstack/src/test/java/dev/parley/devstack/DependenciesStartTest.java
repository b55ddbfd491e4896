package dev.parley.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.devstack.testing.TestDependencies;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class DependenciesStartTest {

    @Test
    void sharedCassandraAnswersCql() {
        Endpoint cql = TestDependencies.cassandra();
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(cql.host(), cql.port()))
                .withLocalDatacenter("datacenter1").build()) {
            String version = session.execute("SELECT release_version FROM system.local").one().getString(0);
            assertThat(version).startsWith("5.0");
        }
    }

    @Test
    void sharedRedisAnswersPing() {
        assertThat(RedisNode.answersPing(TestDependencies.redis())).isTrue();
    }
}
