package dev.parley.broker.messages;

import dev.parley.broker.groups.Rosters;
import dev.parley.broker.push.PushHandoff;
import dev.parley.store.groups.GroupStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Who receives a message, decided in its conversation's lane: the two participants of a 1:1
 * conversation; the members of a group as its roster stands at that moment. The same audience is
 * handed to push-service, which notifies those with no device online. A group send from a
 * non-member is refused there too, so a member who left cannot slip a message in after the leave.
 */
final class Audiences implements Admission {

    private final Fanout fanout;
    private final Rosters rosters;
    private final PushHandoff push;

    Audiences(Fanout fanout, Rosters rosters, PushHandoff push) {
        this.fanout = fanout;
        this.rosters = rosters;
        this.push = push;
    }

    @Override
    public CompletionStage<Verdict> admit(Submission s) {
        if (s.groupId() == null) {
            return Admission.admitted(message -> {
                fanout.direct(message);
                push.handOff(message, List.of(message.recipient()));
            });
        }
        UUID groupId = s.groupId();
        return rosters.current(groupId).thenApply(found -> {
            if (found.isEmpty()) {
                return new Refused(new SequencerResult.Failed(SequencerResult.Kind.NO_SUCH_GROUP,
                        "there is no group " + groupId + ": check the group's id"));
            }
            GroupStore.Roster roster = found.get();
            if (!s.isSystem() && !roster.isMember(s.sender())) {
                return new Refused(new SequencerResult.Failed(SequencerResult.Kind.NOT_A_MEMBER,
                        "you are not a member of group " + groupId + ": only members may send to it"));
            }
            List<UUID> members = roster.members().stream().map(GroupStore.Member::userId).toList();
            if (!s.isSystem()) {
                return new Admitted(message -> {
                    fanout.toUsers(message, members);
                    push.handOff(message, members);
                });
            }
            // The member the change is about hears of it even when it took them out of the group.
            List<UUID> notified = new java.util.ArrayList<>(members);
            GroupChanges.subject(s).filter(u -> !members.contains(u)).ifPresent(notified::add);
            return new Admitted(message -> fanout.toUsers(message, members, notified));
        });
    }
}
