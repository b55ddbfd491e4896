package dev.parley.client.receipts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ticks of my messages in groups: a message is delivered (read) only when every current member other
 * than me who was in the group when it was sent has it delivered (read) — from the members' watermarks in the
 * broker's coalesced group receipts and the roster ({@code GET /v1/groups/{id}/members}). Members who left do
 * not count; members who joined after the message do not either. Until the roster is known, group messages
 * stay at "sent". In memory: after a restart, ticks move again with the next receipts.
 *
 * <p>Thread-safe.
 */
public final class GroupTicks {

    /** A member as the roster lists them: their history starts after {@code joinedAfterSeq}. */
    public record Member(UUID userId, long joinedAfterSeq) {
    }

    private final Map<String, List<Member>> rosters = new HashMap<>();
    private final Map<String, Map<UUID, Watermarks>> marks = new HashMap<>();

    public synchronized boolean knowsRoster(String conversationId) {
        return rosters.containsKey(conversationId);
    }

    public synchronized void roster(String conversationId, List<Member> members) {
        rosters.put(conversationId, List.copyOf(members));
    }

    /** Members' watermarks from a receipt digest; they only move forward. */
    public synchronized void merge(String conversationId, Map<UUID, Long> upTo, boolean read) {
        Map<UUID, Watermarks> of = marks.computeIfAbsent(conversationId, c -> new HashMap<>());
        upTo.forEach((member, seq) -> of.merge(member, new Watermarks(seq, read ? seq : 0), Watermarks::merge));
    }

    /** The tick of my message {@code seq}: the lowest over the members who count for it. */
    public synchronized Tick tickOf(String conversationId, long seq, UUID me) {
        List<Member> roster = rosters.get(conversationId);
        if (roster == null) {
            return Tick.SENT;
        }
        Map<UUID, Watermarks> of = marks.getOrDefault(conversationId, Map.of());
        Tick lowest = null;
        for (Member member : roster) {
            if (member.userId().equals(me) || member.joinedAfterSeq() >= seq) {
                continue;
            }
            Tick theirs = of.getOrDefault(member.userId(), Watermarks.NONE).tickOf(seq);
            if (lowest == null || theirs.compareTo(lowest) < 0) {
                lowest = theirs;
            }
        }
        return lowest == null ? Tick.SENT : lowest; // nobody else to reach: stored is all there is
    }
}
