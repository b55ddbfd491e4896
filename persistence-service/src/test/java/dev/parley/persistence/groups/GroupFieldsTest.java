package dev.parley.persistence.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GroupFieldsTest {

    private static final UUID CREATOR = UUID.randomUUID();

    @Test
    void namesAreStrippedAndCountedInCodePoints() {
        assertThat(GroupFields.validate(new NewGroupRequest("  Club  ", null, null), CREATOR).name()).isEqualTo("Club");
        assertThat(GroupFields.validate(new NewGroupRequest("😀".repeat(100), null, null), CREATOR).name())
                .hasSize(200); // 100 code points, 200 UTF-16 units
        assertThat(fields(() -> GroupFields.validate(new NewGroupRequest("😀".repeat(101), null, null), CREATOR)))
                .containsExactly("name");
        assertThat(fields(() -> GroupFields.validate(new NewGroupRequest(" \t ", null, null), CREATOR)))
                .containsExactly("name");
        assertThat(fields(() -> GroupFields.validate(new NewGroupRequest("a\nb", null, null), CREATOR)))
                .containsExactly("name");
    }

    @Test
    void membersAreDistinctWithoutTheCreatorAndAtMost199() {
        UUID bob = UUID.randomUUID();
        GroupFields.ValidNewGroup valid = GroupFields.validate(new NewGroupRequest("Club", " ",
                List.of(bob.toString(), CREATOR.toString(), bob.toString())), CREATOR);
        assertThat(valid.members()).containsExactly(bob);
        assertThat(valid.description()).isNull();

        List<String> others = new ArrayList<>();
        for (int i = 0; i < 199; i++) {
            others.add(UUID.randomUUID().toString());
        }
        assertThat(GroupFields.validate(new NewGroupRequest("Club", null, others), CREATOR).members()).hasSize(199);
        others.add(UUID.randomUUID().toString());
        assertThat(fields(() -> GroupFields.validate(new NewGroupRequest("Club", null, others), CREATOR)))
                .containsExactly("members");
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        assertThat(fields(() -> GroupFields.validate(new NewGroupRequest(null, "d".repeat(501),
                List.of("x", UUID.randomUUID().toString(), "1-2-3-4-5")), CREATOR)))
                .containsExactly("name", "description", "members[0]", "members[2]");
    }

    @Test
    void anUpdateNeedsAFieldAndAnEmptyDescriptionRemovesIt() {
        assertThat(fields(() -> GroupFields.validate(new GroupUpdateRequest(null, null)))).containsExactly("body");
        assertThat(GroupFields.validate(new GroupUpdateRequest(null, "  ")).description()).isEmpty();
        assertThat(GroupFields.validate(new GroupUpdateRequest(null, "  ")).name()).isNull();
        assertThat(fields(() -> GroupFields.validate(new GroupUpdateRequest("", null)))).containsExactly("name");
    }

    private static List<String> fields(Runnable validation) {
        try {
            validation.run();
        } catch (ProblemException problem) {
            return problem.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("expected a validation problem");
    }
}
