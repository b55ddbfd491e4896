package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplicationTest {

    @Test
    void simpleStrategyForDev() {
        assertThat(Replication.parse("SimpleStrategy:1").toCql())
                .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    @Test
    void networkTopologyForProduction() {
        assertThat(Replication.parse("NetworkTopologyStrategy:dc2=3, dc1=3").toCql())
                .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 3}");
    }

    @Test
    void nonsenseIsRefusedWithTheAcceptedForms() {
        for (String bad : new String[] {"", "SimpleStrategy", "SimpleStrategy:0", "SimpleStrategy:x",
                "EverywhereStrategy:1", "NetworkTopologyStrategy:dc1", "NetworkTopologyStrategy:'x'=1"}) {
            assertThatThrownBy(() -> Replication.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SimpleStrategy:<factor>");
        }
    }

    @Test
    void writtenBackAsConfiguredAndComparedWithWhatCassandraReports() {
        Replication nts = Replication.parse("NetworkTopologyStrategy:dc2=3, dc1=3");
        assertThat(nts.toText()).isEqualTo("NetworkTopologyStrategy:dc1=3,dc2=3");
        assertThat(Replication.parse(nts.toText())).isEqualTo(nts);
        assertThat(Replication.parse("SimpleStrategy:1").toText()).isEqualTo("SimpleStrategy:1");

        assertThat(nts.matches(java.util.Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy",
                "dc1", "3", "dc2", "3"))).isTrue();
        assertThat(nts.matches(java.util.Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy",
                "dc1", "3"))).isFalse();
        assertThat(nts.matches(java.util.Map.of("class", "org.apache.cassandra.locator.SimpleStrategy",
                "replication_factor", "3"))).isFalse();
    }
}
