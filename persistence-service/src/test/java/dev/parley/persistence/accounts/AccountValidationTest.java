package dev.parley.persistence.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.persistence.problems.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(5)
class AccountValidationTest {

    private static RegistrationRequest request(String handle, String phone, String email) {
        return new RegistrationRequest(handle, "Ada", "0123456789", phone, email);
    }

    private static String rejectedField(RegistrationRequest request) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> AccountValidation.validate(request));
        assertThat(e).as("refused").isNotNull();
        return e.getMessage().substring(0, e.getMessage().indexOf(':'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "ada.lovelace", "a_1", "abcdefghijklmnopqrstuvwxyz012345"})
    void validHandles(String handle) {
        assertThat(AccountValidation.validate(request(handle, null, null)).handle()).isEqualTo(handle);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Ada", "ada lovelace", "ada-l", "abcdefghijklmnopqrstuvwxyz0123456", "ådа"})
    void invalidHandles(String handle) {
        assertThat(rejectedField(request(handle, null, null))).isEqualTo("handle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+447700900123", "+12", "+123456789012345"})
    void e164Phones(String phone) {
        assertThat(AccountValidation.validate(request("ada", phone, null)).phone()).isEqualTo(phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"07700900123", "+0123", "+44 7700 900123", "+1234567890123456", "+"})
    void nonE164Phones(String phone) {
        assertThat(rejectedField(request("ada", phone, null))).isEqualTo("phone");
    }

    @Test
    void emailIsLowerCasedAndBlankOptionalFieldsAreAbsent() {
        AccountValidation.ValidRegistration valid = AccountValidation.validate(request("ada", " ", "Ada@Example.ORG"));
        assertThat(valid.email()).isEqualTo("ada@example.org");
        assertThat(valid.phone()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "ada@", "@example.org", "ada@example", "a b@example.org", "ada@@example.org"})
    void invalidEmails(String email) {
        assertThat(rejectedField(request("ada", null, email))).isEqualTo("email");
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        ProblemException e = catchThrowableOfType(ProblemException.class,
                () -> AccountValidation.validate(new RegistrationRequest(null, "", "short", "1", "x")));
        assertThat(e.getMessage()).contains("handle:", "displayName:", "password:", "phone:", "email:");
    }

    @Test
    void passwordLengthCountsCodePoints() {
        String tenEmoji = "😀".repeat(10);
        assertThat(AccountValidation.validate(new RegistrationRequest("ada", "Ada", tenEmoji, null, null)).password())
                .isEqualTo(tenEmoji);
        assertThat(rejectedField(new RegistrationRequest("ada", "Ada", "😀".repeat(9), null, null))).isEqualTo("password");
    }
}
