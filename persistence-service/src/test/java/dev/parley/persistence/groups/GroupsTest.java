package dev.parley.persistence.groups;

import static dev.parley.persistence.groups.GroupTestSupport.PROBLEM_JSON;
import static dev.parley.persistence.groups.GroupTestSupport.add;
import static dev.parley.persistence.groups.GroupTestSupport.createGroup;
import static dev.parley.persistence.groups.GroupTestSupport.delete;
import static dev.parley.persistence.groups.GroupTestSupport.get;
import static dev.parley.persistence.groups.GroupTestSupport.newUser;
import static dev.parley.persistence.groups.GroupTestSupport.patch;
import static dev.parley.persistence.groups.GroupTestSupport.post;
import static dev.parley.persistence.groups.GroupTestSupport.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.parley.persistence.groups.GroupTestSupport.User;
import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChange.Kind;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Timeout(60)
class GroupsTest {

    private static GroupTestSupport support;

    @BeforeAll
    static void connectToRedis() {
        support = new GroupTestSupport();
    }

    @AfterAll
    static void disconnect() {
        if (support != null) {
            support.close();
        }
    }

    @Test
    void theCreatorIsAdminAndMembersSeeTheGroup() {
        User ada = newUser();
        User bob = newUser();

        String id = given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body(Map.of("name", "  Climbing club  ", "description", "Saturdays", "members", List.of(bob.id(), ada.id(), bob.id())))
                .when().post("/v1/groups")
                .then().statusCode(201)
                .header("Location", containsString("/v1/groups/"))
                .body("name", equalTo("Climbing club"))
                .body("description", equalTo("Saturdays"))
                .body("createdBy", equalTo(ada.id()))
                .body("createdAt", notNullValue())
                .body("memberCount", equalTo(2))
                .body("rosterVersion", equalTo(1))
                .body("yourRole", equalTo("admin"))
                .extract().path("id");

        get(ada, "/v1/groups/" + id).statusCode(200).body("id", equalTo(id)).body("yourRole", equalTo("admin"));
        get(bob, "/v1/groups/" + id).statusCode(200).body("name", equalTo("Climbing club"))
                .body("memberCount", equalTo(2)).body("yourRole", equalTo("member"));
        get(bob, "/v1/groups/" + id + "/members").statusCode(200)
                .body("$", hasSize(2))
                .body("find { it.userId == '" + ada.id() + "' }.role", equalTo("admin"))
                .body("find { it.userId == '" + ada.id() + "' }.addedBy", nullValue())
                .body("find { it.userId == '" + bob.id() + "' }.role", equalTo("member"))
                .body("find { it.userId == '" + bob.id() + "' }.addedBy", equalTo(ada.id()))
                .body("find { it.userId == '" + bob.id() + "' }.joinedAt", notNullValue())
                .body("find { it.userId == '" + bob.id() + "' }.joinedAfterSeq", equalTo(0));
        get(bob, "/v1/me/groups").statusCode(200).body("id", contains(id)).body("[0].yourRole", equalTo("member"));
        get(ada, "/v1/me/groups").statusCode(200).body("id", contains(id)).body("[0].yourRole", equalTo("admin"));

        assertThat(support.rosterVersionInRedis(id)).isEqualTo(1);
        List<GroupChange> changes = support.changesOf(id);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).kind()).isEqualTo(Kind.created);
        assertThat(changes.get(0).actor()).isEqualTo(ada.uuid());
        assertThat(changes.get(0).name()).isEqualTo("Climbing club");
        assertThat(changes.get(0).rosterVersion()).isEqualTo(1);
    }

    @Test
    void theLocationNamesTheNewGroup() {
        User ada = newUser();
        String location = given().header("Authorization", "Bearer " + ada.token()).contentType("application/json")
                .body(Map.of("name", "Solo"))
                .when().post("/v1/groups")
                .then().statusCode(201).body("memberCount", equalTo(1)).body("description", nullValue())
                .extract().header("Location");
        given().header("Authorization", "Bearer " + ada.token()).when().get(location)
                .then().statusCode(200).body("name", equalTo("Solo"));
    }

    @Test
    void anAddedMemberIsInRedisBeforeTheAnswerAndAddingAgainChangesNothing() {
        User ada = newUser();
        User bob = newUser();
        String id = createGroup(ada, "Adders");

        add(ada, id, bob).statusCode(201)
                .body("groupId", equalTo(id))
                .body("userId", equalTo(bob.id()))
                .body("role", equalTo("member"))
                .body("addedBy", equalTo(ada.id()))
                .body("joinedAfterSeq", equalTo(0))
                .body("rosterVersion", equalTo(2));
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(2);
        assertThat(support.changesOf(id)).extracting(GroupChange::kind).containsExactly(Kind.created, Kind.added);
        GroupChange added = support.changesOf(id).get(1);
        assertThat(added.user()).isEqualTo(bob.uuid());
        assertThat(added.actor()).isEqualTo(ada.uuid());
        assertThat(added.rosterVersion()).isEqualTo(2);

        add(ada, id, bob).statusCode(200).body("userId", equalTo(bob.id())).body("rosterVersion", equalTo(2));
        // A member asking for their own id learns their membership.
        add(bob, id, bob).statusCode(200).body("userId", equalTo(bob.id())).body("role", equalTo("member"));
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(2);
        assertThat(support.changesOf(id)).hasSize(2);
        get(bob, "/v1/groups/" + id + "/members").statusCode(200).body("$", hasSize(2));
    }

    @Test
    void afterLeavingTheRosterVersionIsInRedisAndTheGroupIsClosedToTheFormerMember() {
        User ada = newUser();
        User bob = newUser();
        String id = createGroup(ada, "Leavers", bob);

        delete(bob, "/v1/groups/" + id + "/members/" + bob.id()).statusCode(204);
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(2);
        List<GroupChange> changes = support.changesOf(id);
        assertThat(changes).extracting(GroupChange::kind).containsExactly(Kind.created, Kind.left);
        assertThat(changes.get(1).user()).isEqualTo(bob.uuid());
        assertThat(changes.get(1).actor()).isEqualTo(bob.uuid());
        assertThat(changes.get(1).rosterVersion()).isEqualTo(2);

        get(bob, "/v1/groups/" + id).statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-group-member"));
        get(bob, "/v1/groups/" + id + "/members").statusCode(403);
        get(bob, "/v1/me/groups").statusCode(200).body("$", empty());
        get(ada, "/v1/groups/" + id + "/members").statusCode(200).body("userId", contains(ada.id()));

        // Leaving again is answered the same and tells nobody anything new.
        delete(bob, "/v1/groups/" + id + "/members/" + bob.id()).statusCode(204);
        assertThat(support.changesOf(id)).hasSize(2);
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(2);
        // Joining back by oneself needs an admin.
        add(bob, id, bob).statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-group-member"))
                .body("detail", containsString("admin"));
    }

    @Test
    void adminsRemoveOthersAndMembersMayNot() {
        User ada = newUser();
        User bob = newUser();
        User carl = newUser();
        String id = createGroup(ada, "Removers", bob, carl);

        delete(bob, "/v1/groups/" + id + "/members/" + carl.id()).statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-group-admin"));
        delete(ada, "/v1/groups/" + id + "/members/" + carl.id()).statusCode(204);
        assertThat(support.changesOf(id)).extracting(GroupChange::kind).containsExactly(Kind.created, Kind.removed);
        GroupChange removed = support.changesOf(id).get(1);
        assertThat(removed.user()).isEqualTo(carl.uuid());
        assertThat(removed.actor()).isEqualTo(ada.uuid());
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(2);
        get(carl, "/v1/groups/" + id).statusCode(403);
        // Removing a non-member (even an unknown id) is idempotent.
        delete(ada, "/v1/groups/" + id + "/members/" + carl.id()).statusCode(204);
        delete(ada, "/v1/groups/" + id + "/members/" + UUID.randomUUID()).statusCode(204);
        assertThat(support.changesOf(id)).hasSize(2);
        // An outsider removing anyone is refused.
        delete(carl, "/v1/groups/" + id + "/members/" + bob.id()).statusCode(403)
                .body("type", equalTo("urn:parley:problem:not-a-group-member"));
    }

    @Test
    void onlyAdminsAddOthers() {
        User ada = newUser();
        User bob = newUser();
        User carl = newUser();
        User outsider = newUser();
        String id = createGroup(ada, "Gatekeepers", bob);

        add(bob, id, carl).statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-group-admin"));
        add(outsider, id, carl).statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-a-group-member"));
        add(outsider, id, outsider).statusCode(403)
                .body("type", equalTo("urn:parley:problem:not-a-group-member"));
        post(ada, "/v1/groups/" + id + "/members", Map.of("userId", UUID.randomUUID().toString())).statusCode(404)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:parley:problem:not-found"))
                .body("detail", containsString("user"));
        add(ada, UUID.randomUUID().toString(), carl).statusCode(404)
                .body("type", equalTo("urn:parley:problem:not-found")).body("detail", containsString("group"));
        get(ada, "/v1/groups/" + id + "/members").statusCode(200).body("$", hasSize(2));
        assertThat(support.changesOf(id)).hasSize(1);
    }

    @Test
    void theLastAdminLeavingPromotesTheLongestStandingMember() {
        User ada = newUser();
        User bob = newUser();
        User carl = newUser();
        String id = createGroup(ada, "Succession", bob);
        add(ada, id, carl).statusCode(201);

        delete(ada, "/v1/groups/" + id + "/members/" + ada.id()).statusCode(204);

        get(bob, "/v1/groups/" + id).statusCode(200).body("yourRole", equalTo("admin"));
        get(carl, "/v1/groups/" + id).statusCode(200).body("yourRole", equalTo("member"));
        List<GroupChange> changes = support.changesOf(id);
        assertThat(changes).extracting(GroupChange::kind)
                .containsExactly(Kind.created, Kind.added, Kind.left, Kind.promoted);
        assertThat(changes.get(3).user()).isEqualTo(bob.uuid());
        assertThat(changes.get(3).actor()).isEqualTo(ada.uuid());
        assertThat(changes.get(3).rosterVersion()).isEqualTo(4);
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(4);
    }

    @Test
    void adminsPromoteAndDemoteButTheLastAdminStays() {
        User ada = newUser();
        User bob = newUser();
        User outsider = newUser();
        String id = createGroup(ada, "Roles", bob);
        String bobAdmin = "/v1/groups/" + id + "/admins/" + bob.id();
        String adaAdmin = "/v1/groups/" + id + "/admins/" + ada.id();

        delete(bob, adaAdmin).statusCode(403).body("type", equalTo("urn:parley:problem:not-a-group-admin"));
        put(bob, bobAdmin).statusCode(403).body("type", equalTo("urn:parley:problem:not-a-group-admin"));
        delete(ada, adaAdmin).statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:last-admin"));
        put(ada, "/v1/groups/" + id + "/admins/" + outsider.id()).statusCode(404)
                .body("type", equalTo("urn:parley:problem:not-found"));
        put(outsider, bobAdmin).statusCode(403).body("type", equalTo("urn:parley:problem:not-a-group-member"));

        put(ada, bobAdmin).statusCode(200).body("userId", equalTo(bob.id())).body("role", equalTo("admin"))
                .body("rosterVersion", equalTo(2));
        put(ada, bobAdmin).statusCode(200).body("role", equalTo("admin")).body("rosterVersion", equalTo(2));
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(2);

        // Now there are two admins: bob may demote ada, and then bob is the last one.
        delete(bob, adaAdmin).statusCode(200).body("role", equalTo("member")).body("rosterVersion", equalTo(3));
        delete(bob, adaAdmin).statusCode(200).body("role", equalTo("member"));
        delete(bob, bobAdmin).statusCode(409).body("type", equalTo("urn:parley:problem:last-admin"));
        get(ada, "/v1/groups/" + id).statusCode(200).body("yourRole", equalTo("member"));

        assertThat(support.changesOf(id)).extracting(GroupChange::kind)
                .containsExactly(Kind.created, Kind.promoted, Kind.demoted);
        assertThat(support.changesOf(id).get(2).user()).isEqualTo(ada.uuid());
        assertThat(support.changesOf(id).get(2).actor()).isEqualTo(bob.uuid());
        assertThat(support.rosterVersionInRedis(id)).isEqualTo(3);
    }

    @Test
    void adminsRenameAndOthersMayNot() {
        User ada = newUser();
        User bob = newUser();
        User outsider = newUser();
        String id = createGroup(ada, "Old name", bob);

        patch(bob, "/v1/groups/" + id, Map.of("name", "Bob's")).statusCode(403)
                .body("type", equalTo("urn:parley:problem:not-a-group-admin"));
        patch(outsider, "/v1/groups/" + id, Map.of("name", "Mine")).statusCode(403)
                .body("type", equalTo("urn:parley:problem:not-a-group-member"));
        patch(ada, "/v1/groups/" + UUID.randomUUID(), Map.of("name", "Nobody's")).statusCode(404);

        patch(ada, "/v1/groups/" + id, Map.of("name", "New name")).statusCode(200)
                .body("name", equalTo("New name")).body("yourRole", equalTo("admin"));
        patch(ada, "/v1/groups/" + id, Map.of("description", "About us")).statusCode(200)
                .body("name", equalTo("New name")).body("description", equalTo("About us"));
        get(bob, "/v1/groups/" + id).statusCode(200)
                .body("name", equalTo("New name")).body("description", equalTo("About us"));
        patch(ada, "/v1/groups/" + id, Map.of("description", "")).statusCode(200).body("description", nullValue());

        List<GroupChange> changes = support.changesOf(id);
        assertThat(changes).extracting(GroupChange::kind)
                .containsExactly(Kind.created, Kind.renamed, Kind.renamed, Kind.renamed);
        assertThat(changes.get(1).name()).isEqualTo("New name");
        assertThat(changes.get(1).actor()).isEqualTo(ada.uuid());
        assertThat(changes.get(1).rosterVersion()).isEqualTo(1);
    }

    @Test
    void badUpdatesAreProblemsAndChangeNothing() {
        User ada = newUser();
        String id = createGroup(ada, "Stable");
        String path = "/v1/groups/" + id;

        patch(ada, path, Map.of()).statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors[0].field", equalTo("body"));
        patch(ada, path, Map.of("name", "x".repeat(101))).statusCode(400).body("errors[0].field", equalTo("name"));
        patch(ada, path, Map.of("name", "   ")).statusCode(400).body("errors[0].field", equalTo("name"));
        patch(ada, path, Map.of("description", "d".repeat(501))).statusCode(400)
                .body("errors[0].field", equalTo("description"));
        patch(ada, path, Map.of("name", "Ok", "colour", "red")).statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        patch(ada, path, Map.of("name", Map.of("text", "nested"))).statusCode(400)
                .body("errors[0].field", equalTo("name"));
        patch(ada, path, "{\"name\": ").statusCode(400).body("type", equalTo("urn:parley:problem:malformed-body"));
        patch(ada, "/v1/groups/nope", Map.of("name", "Ok")).statusCode(400).body("errors[0].field", equalTo("id"));

        get(ada, path).statusCode(200).body("name", equalTo("Stable")).body("description", nullValue());
        assertThat(support.changesOf(id)).hasSize(1);
    }

    @Test
    void badNewGroupsAreProblemsAndCreateNothing() {
        User ada = newUser();
        User bob = newUser();
        String groups = "/v1/groups";

        post(ada, groups, Map.of()).statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:validation-error"))
                .body("errors.field", hasItem("name"));
        post(ada, groups, Map.of("name", "")).statusCode(400).body("errors[0].field", equalTo("name"));
        // 100 characters are fine, 101 are not (counted in code points: each emoji is one).
        post(ada, groups, Map.of("name", "😀".repeat(101))).statusCode(400).body("errors[0].field", equalTo("name"));
        post(ada, groups, Map.of("name", "a\u0007b")).statusCode(400).body("errors[0].field", equalTo("name"));
        post(ada, groups, Map.of("name", "Ok", "description", "d".repeat(501))).statusCode(400)
                .body("errors[0].field", equalTo("description"));
        post(ada, groups, Map.of("name", "Ok", "members", List.of(bob.id(), "not-a-uuid"))).statusCode(400)
                .body("errors[0].field", equalTo("members[1]"));
        post(ada, groups, Map.of("name", "Ok", "members", List.of(bob.id(), UUID.randomUUID().toString())))
                .statusCode(400).body("errors[0].field", equalTo("members"))
                .body("errors[0].message", containsString("no user"));
        post(ada, groups, Map.of("name", "Ok", "members", "everyone")).statusCode(400)
                .body("errors[0].field", equalTo("members"));
        post(ada, groups, Map.of("name", "Ok", "admins", List.of(bob.id()))).statusCode(400)
                .body("errors[0].field", equalTo("admins"));
        post(ada, groups, "{\"name\": \"Ok\",").statusCode(400)
                .body("type", equalTo("urn:parley:problem:malformed-body"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tooMany.add(UUID.randomUUID().toString());
        }
        post(ada, groups, Map.of("name", "Crowd", "members", tooMany)).statusCode(400)
                .body("errors[0].field", equalTo("members"))
                .body("errors[0].message", containsString("200"));

        get(ada, "/v1/me/groups").statusCode(200).body("$", empty());
        get(bob, "/v1/me/groups").statusCode(200).body("$", empty());
        post(ada, groups, Map.of("name", "a".repeat(100), "description", "d".repeat(500))).statusCode(201);
    }

    @Test
    void badIdsAndUnknownGroupsAreProblems() {
        User ada = newUser();
        String id = createGroup(ada, "Ids");

        get(ada, "/v1/groups/nope").statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("id"));
        get(ada, "/v1/groups/nope/members").statusCode(400).body("errors[0].field", equalTo("id"));
        get(ada, "/v1/groups/" + UUID.randomUUID()).statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:not-found"));
        get(ada, "/v1/groups/" + UUID.randomUUID() + "/members").statusCode(404);
        delete(ada, "/v1/groups/" + UUID.randomUUID() + "/members/" + ada.id()).statusCode(404);
        delete(ada, "/v1/groups/" + id + "/members/nope").statusCode(400).body("errors[0].field", equalTo("userId"));
        put(ada, "/v1/groups/" + id + "/admins/nope").statusCode(400).body("errors[0].field", equalTo("userId"));
        put(ada, "/v1/groups/" + UUID.randomUUID() + "/admins/" + ada.id()).statusCode(404);
        post(ada, "/v1/groups/" + id + "/members", Map.of("userId", "nope")).statusCode(400)
                .body("errors[0].field", equalTo("userId"));
        post(ada, "/v1/groups/" + id + "/members", Map.of()).statusCode(400).body("errors[0].field", equalTo("userId"));
        post(ada, "/v1/groups/" + id + "/members", Map.of("userId", ada.id(), "role", "admin")).statusCode(400)
                .body("errors[0].field", equalTo("role"));
        post(ada, "/v1/groups/" + id + "/members", "[1, 2]").statusCode(400);
        assertThat(support.changesOf(id)).hasSize(1);
    }

    @Test
    void everyGroupEndpointNeedsAToken() {
        String id = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        given().contentType("application/json").body(Map.of("name", "x")).when().post("/v1/groups")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
        given().when().get("/v1/groups/" + id).then().statusCode(401);
        given().contentType("application/json").body(Map.of("name", "x")).when().patch("/v1/groups/" + id)
                .then().statusCode(401);
        given().when().get("/v1/groups/" + id + "/members").then().statusCode(401);
        given().contentType("application/json").body(Map.of("userId", user)).when().post("/v1/groups/" + id + "/members")
                .then().statusCode(401);
        given().when().delete("/v1/groups/" + id + "/members/" + user).then().statusCode(401);
        given().when().put("/v1/groups/" + id + "/admins/" + user).then().statusCode(401);
        given().when().delete("/v1/groups/" + id + "/admins/" + user).then().statusCode(401);
        given().when().get("/v1/me/groups").then().statusCode(401)
                .body("type", equalTo("urn:parley:problem:unauthenticated"));
    }

    @Test
    void myGroupsAreListedByName() {
        User ada = newUser();
        String zebra = createGroup(ada, "zebra");
        String apple = createGroup(ada, "Apple");
        User bob = newUser();
        String bobs = createGroup(bob, "Bob's", ada);
        delete(ada, "/v1/groups/" + bobs + "/members/" + ada.id()).statusCode(204);

        get(ada, "/v1/me/groups").statusCode(200).body("id", contains(apple, zebra))
                .body("name", contains("Apple", "zebra"))
                .body("[0].memberCount", equalTo(1))
                .body(not(containsString(bobs)));
    }
}
