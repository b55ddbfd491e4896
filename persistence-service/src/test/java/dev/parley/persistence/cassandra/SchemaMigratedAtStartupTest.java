package dev.parley.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.store.SchemaMigrator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(30)
class SchemaMigratedAtStartupTest {

    @Inject
    CqlSession session;

    @Inject
    CassandraConfig config;

    @Test
    void startupCreatedTheKeyspaceAndAppliedEveryMigration() {
        List<Row> history = session.execute("SELECT version FROM " + config.keyspace()
                + ".schema_migrations WHERE scope = 'parley'").all();

        assertThat(history).extracting(row -> row.getInt("version"))
                .startsWith(SchemaMigrator.requiredVersion())
                .hasSize(SchemaMigrator.requiredVersion());
        assertThat(session.getMetadata().getKeyspace(config.keyspace()).orElseThrow().getTable("users"))
                .isPresent();
    }
}
