package dev.parley.persistence.groups;

import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.RequestValues;
import dev.parley.store.groups.GroupStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The rules of group fields; every broken rule of a request is reported at once, each naming its field. */
final class GroupFields {

    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_OTHER_MEMBERS = GroupStore.MAX_MEMBERS - 1;

    private GroupFields() {
    }

    /** A valid new group: name stripped, description null when absent or blank, members distinct and not the creator. */
    record ValidNewGroup(String name, String description, List<UUID> members) {
    }

    /** A valid update: null for a field to keep; an empty description removes it. */
    record ValidUpdate(String name, String description) {
    }

    static ValidNewGroup validate(NewGroupRequest request, UUID creator) {
        if (request == null) {
            throw ProblemException.invalidField("body", "is required: {name, description?, members?}");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = name(request.name(), errors);
        String description = description(request.description(), errors);
        Set<UUID> members = new LinkedHashSet<>();
        if (request.members() != null) {
            for (int i = 0; i < request.members().size(); i++) {
                String field = "members[" + i + "]";
                try {
                    UUID member = RequestValues.uuid(field, request.members().get(i));
                    if (!member.equals(creator)) {
                        members.add(member);
                    }
                } catch (ProblemException invalid) {
                    errors.add(new FieldError(field, "must be a user id (a UUID)"));
                }
            }
            if (members.size() > MAX_OTHER_MEMBERS) {
                errors.add(new FieldError("members", "a group has at most " + GroupStore.MAX_MEMBERS
                        + " members: you and at most " + MAX_OTHER_MEMBERS + " others, got " + members.size()));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return new ValidNewGroup(name, description == null || description.isEmpty() ? null : description,
                List.copyOf(members));
    }

    static ValidUpdate validate(GroupUpdateRequest request) {
        if (request == null || (request.name() == null && request.description() == null)) {
            throw ProblemException.invalidField("body", "give name and/or description to change");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? null : name(request.name(), errors);
        String description = description(request.description(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return new ValidUpdate(name, description);
    }

    private static String name(String raw, List<FieldError> errors) {
        if (raw == null) {
            errors.add(new FieldError("name", "is required"));
            return null;
        }
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            errors.add(new FieldError("name", "must be 1-" + MAX_NAME + " characters, not only spaces"));
        } else if (name.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "must not contain control characters"));
        }
        return name;
    }

    /** The description stripped ("" when given blank, which removes it), or null when absent. */
    private static String description(String raw, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        String description = raw.strip();
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        return description;
    }
}
