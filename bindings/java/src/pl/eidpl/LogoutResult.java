package pl.eidpl;

/** WK's answer to a LogoutRequest. */
public final class LogoutResult extends JsonResult {
    LogoutResult(String json) {
        super(json);
    }

    public String getInResponseTo() { return s("in_response_to"); }
    public boolean isComplete() { return Boolean.TRUE.equals(Json.get(getParsed(), "complete")); }
}
