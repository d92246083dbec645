package pl.eidpl;

/** Verification of signed XML documents (podpis zaufany, XAdES, ePUAP letters and UPO). */
public final class DocumentVerifier {
    private DocumentVerifier() {}

    /**
     * Verifies every signature in the document. {@code optionsJson}: {@code {"trust_anchors_pem"?,
     * "intermediates_pem"?, "crls_pem"?, "detached"?, "now"?, "check_pesel"?}} (null: none, so at
     * best "indeterminate"). A readable document always gives a report: check its verdict.
     */
    public static VerificationReport verify(byte[] document, String optionsJson) {
        byte[] o = Call.utf8(optionsJson);
        return new VerificationReport(Call.run((out, err) -> Call.LIB.eidpl_verify_document(document,
                EidplLibrary.SizeT.of(document), o, EidplLibrary.SizeT.of(o), out, err)));
    }

    public static VerificationReport verify(byte[] document) {
        return verify(document, null);
    }
}
