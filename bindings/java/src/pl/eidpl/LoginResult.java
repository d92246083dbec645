package pl.eidpl;

/** A verified WK login: who logged in, at which level of assurance. */
public final class LoginResult extends JsonResult {
    LoginResult(String json) {
        super(json);
    }

    public String getNameId() { return s("name_id"); }
    public String getSessionIndex() { return s("session_index"); }
    public String getLoa() { return s("loa"); }
    public String getIssuer() { return s("issuer"); }
    public String getPersonIdentifier() { return s("person", "person_identifier"); }
    public String getPesel() { return s("person", "pesel"); }
    public String getGivenName() { return s("person", "given_name"); }
    public String getFamilyName() { return s("person", "family_name"); }
    public String getDateOfBirth() { return s("person", "date_of_birth"); }
}
