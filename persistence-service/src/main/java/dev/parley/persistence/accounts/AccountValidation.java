package dev.parley.persistence.accounts;

import dev.parley.persistence.problems.Problem.FieldError;
import dev.parley.persistence.problems.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules of account fields; every broken rule of a request is reported at once, each naming its field. */
public final class AccountValidation {

    static final Pattern HANDLE = Pattern.compile("[a-z0-9_.]{3,32}");
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    // Deliberately loose (RFC 5322 allows far more than anyone types): one @, no spaces, a dot in the
    // domain. Whether the address works is for a confirmation mail to find out, not a regex.
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    static final String HANDLE_RULE = "must be 3-32 characters of lower-case letters a-z, digits 0-9, '_' and '.'";

    private AccountValidation() {
    }

    /** A registration whose fields all passed; e-mail lower-cased, optional fields null when absent. */
    record ValidRegistration(String handle, String displayName, String password, String phone, String email) {
    }

    static ValidRegistration validate(RegistrationRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", "is required: {handle, displayName, password, phone?, email?}");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.handle() == null) {
            errors.add(new FieldError("handle", "is required"));
        } else if (!HANDLE.matcher(request.handle()).matches()) {
            errors.add(new FieldError("handle", HANDLE_RULE));
        }
        String displayName = request.displayName() == null ? null : request.displayName().strip();
        if (displayName == null) {
            errors.add(new FieldError("displayName", "is required"));
        } else {
            int length = displayName.codePointCount(0, displayName.length());
            if (length < 1 || length > 64) {
                errors.add(new FieldError("displayName", "must be 1-64 characters, not only spaces"));
            } else if (displayName.codePoints().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError("displayName", "must not contain control characters"));
            }
        }
        if (request.password() == null) {
            errors.add(new FieldError("password", "is required"));
        } else {
            int length = request.password().codePointCount(0, request.password().length());
            if (length < 10 || length > 128) {
                errors.add(new FieldError("password", "must be 10-128 characters"));
            }
        }
        String phone = blankToNull(request.phone());
        if (phone != null && !E164.matcher(phone).matches()) {
            errors.add(new FieldError("phone", "must be an E.164 number: '+', country code and number, digits only, "
                    + "at most 15 digits, e.g. +447700900123"));
        }
        String email = blankToNull(request.email());
        if (email != null) {
            email = email.toLowerCase(Locale.ROOT);
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                errors.add(new FieldError("email", "must be an e-mail address such as ada@example.org"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return new ValidRegistration(request.handle(), displayName, request.password(), phone, email);
    }

    /** Whether {@code handle} could be a registered handle at all (lookups refuse other text early). */
    public static boolean isPossibleHandle(String handle) {
        return handle != null && HANDLE.matcher(handle).matches();
    }

    public static String handleRule() {
        return HANDLE_RULE;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
