package pl.eidpl;

import com.sun.jna.Pointer;

/**
 * A failed libeidpl call: the stable code (docs/errors.md), a message for people and structured
 * details as a JSON object.
 */
public class EidplException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String stableCode;
    private final int numericCode;
    private final String detailsJson;

    public EidplException(int numericCode, String stableCode, String message, String detailsJson) {
        super(stableCode + ": " + message);
        this.numericCode = numericCode;
        this.stableCode = stableCode;
        this.detailsJson = detailsJson;
    }

    /** The stable snake_case code, e.g. {@code "digest_mismatch"}, {@code "replay_detected"}. */
    public String getStableCode() {
        return stableCode;
    }

    /** The stable number of the code (digest_mismatch = 9, …); never renumbered. */
    public int getNumericCode() {
        return numericCode;
    }

    /** Details as a JSON object, e.g. {@code {"setting":"sp.acs_url"}}. */
    public String getDetailsJson() {
        return detailsJson;
    }

    static EidplException from(int status, Pointer err) {
        if (err == null) {
            return new EidplException(status, "unknown", "libeidpl returned status " + status, "{}");
        }
        EidplLibrary lib = Call.LIB;
        return new EidplException(lib.eidpl_error_code(err), Call.copy(lib.eidpl_error_code_name(err)),
                Call.copy(lib.eidpl_error_message(err)), Call.copy(lib.eidpl_error_details_json(err)));
    }
}
