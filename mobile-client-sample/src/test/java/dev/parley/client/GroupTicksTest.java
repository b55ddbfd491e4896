package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.receipts.GroupTicks;
import dev.parley.client.receipts.Tick;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** "Read by all" from members' watermarks and the roster, alone. */
class GroupTicksTest {

    private static final String G = "g:" + UUID.randomUUID();
    private final UUID me = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private final UUID cy = UUID.randomUUID();
    private final GroupTicks ticks = new GroupTicks();

    @Test
    void sentUntilTheRosterIsKnownThenTheLowestMemberDecides() {
        ticks.merge(G, Map.of(bob, 5L, cy, 5L), false);
        assertThat(ticks.tickOf(G, 5, me)).isEqualTo(Tick.SENT);

        ticks.roster(G, List.of(new GroupTicks.Member(me, 0), new GroupTicks.Member(bob, 0), new GroupTicks.Member(cy, 0)));
        assertThat(ticks.tickOf(G, 5, me)).isEqualTo(Tick.DELIVERED);
        ticks.merge(G, Map.of(bob, 5L), true);
        assertThat(ticks.tickOf(G, 5, me)).as("cy has not read it").isEqualTo(Tick.DELIVERED);
        ticks.merge(G, Map.of(cy, 7L), true);
        assertThat(ticks.tickOf(G, 5, me)).isEqualTo(Tick.READ);
        assertThat(ticks.tickOf(G, 6, me)).isEqualTo(Tick.SENT);
    }

    @Test
    void membersWhoLeftOrJoinedAfterTheMessageDoNotCount() {
        UUID late = UUID.randomUUID();
        ticks.merge(G, Map.of(bob, 3L), true);
        ticks.roster(G, List.of(new GroupTicks.Member(me, 0), new GroupTicks.Member(bob, 0),
                new GroupTicks.Member(late, 10)));
        assertThat(ticks.tickOf(G, 3, me)).as("late joined after seq 10").isEqualTo(Tick.READ);
        assertThat(ticks.tickOf(G, 11, me)).isEqualTo(Tick.SENT);
        // cy read nothing, but cy is not in the current roster (left): not counted.
        ticks.merge(G, Map.of(cy, 0L), false);
        assertThat(ticks.tickOf(G, 3, me)).isEqualTo(Tick.READ);
    }

    @Test
    void aWatermarkNeverMovesBack() {
        ticks.roster(G, List.of(new GroupTicks.Member(me, 0), new GroupTicks.Member(bob, 0)));
        ticks.merge(G, Map.of(bob, 9L), true);
        ticks.merge(G, Map.of(bob, 2L), true);
        assertThat(ticks.tickOf(G, 9, me)).isEqualTo(Tick.READ);
    }
}
