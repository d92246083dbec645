package pl.eidpl;

/** Key generation for a new DU. */
public final class Keys {
    private Keys() {}

    /**
     * The two P-256 key pairs WK needs, with CSRs and self-signed certificates, as JSON:
     * {@code {"signing": {"key_pem", "csr_pem", "certificate_pem", "subject"}, "encryption": {…}}}.
     * {@code organization} and {@code country} may be null.
     */
    public static String generate(String entityId, String organization, String country) {
        byte[] o = Call.utf8(Json.object("entity_id", entityId, "organization", organization, "country", country));
        return Call.run((out, err) -> Call.LIB.eidpl_keys_generate(o, EidplLibrary.SizeT.of(o), out, err));
    }
}
