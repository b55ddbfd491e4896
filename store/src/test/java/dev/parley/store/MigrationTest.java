package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void splitsStatementsAndDropsComments() {
        List<String> statements = Migration.split("""
                -- a comment; with a semicolon
                CREATE TABLE {keyspace}.a (
                    id int PRIMARY KEY
                );

                CREATE TABLE {keyspace}.b (id int PRIMARY KEY);
                """);
        assertThat(statements).containsExactly(
                "CREATE TABLE {keyspace}.a (\n    id int PRIMARY KEY\n)",
                "CREATE TABLE {keyspace}.b (id int PRIMARY KEY)");
    }

    @Test
    void versionsStartAtOneAndIncreaseByOne() {
        for (int i = 0; i < Migrations.ALL.size(); i++) {
            assertThat(Migrations.ALL.get(i).version()).isEqualTo(i + 1);
            assertThat(Migrations.ALL.get(i).statements()).isNotEmpty();
        }
    }
}
