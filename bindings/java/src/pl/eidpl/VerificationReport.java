package pl.eidpl;

/**
 * A document verification report (docs/verify.md). Check {@link #getVerdict()}: {@code "valid"},
 * {@code "invalid"} or {@code "indeterminate"}.
 */
public final class VerificationReport extends JsonResult {
    VerificationReport(String json) {
        super(json);
    }

    public String getVerdict() { return s("verdict"); }
    public boolean isValid() { return "valid".equals(getVerdict()); }
    public String getDocumentType() { return s("document_type"); }

    /** The kind of the index-th signature ({@code "pz"}, {@code "untrusted_pz_claim"}, …) or null. */
    public String signatureKind(int index) { return s("signatures", Integer.toString(index), "kind"); }
}
