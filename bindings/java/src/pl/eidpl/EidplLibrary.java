package pl.eidpl;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C ABI of libeidpl (include/eidpl.h) for JNA. Inputs are byte arrays (UTF-8 for text) with
 * their length; {@code char **} results and {@code eidpl_error **} come back through
 * {@link PointerByReference}s and are freed with {@code eidpl_string_free} and
 * {@code eidpl_error_free}. Used by {@link ServiceProvider}, {@link DocumentVerifier} and
 * {@link Keys}; call it directly only if you need exactly the C contract (ffi/README.md).
 *
 * <p>The library is loaded by name ({@code libeidpl.so} on {@code jna.library.path} or the system
 * library path), or from the full path in the system property {@code eidpl.library}.
 */
public interface EidplLibrary extends Library {
    EidplLibrary INSTANCE = Native.load(System.getProperty("eidpl.library", "eidpl"), EidplLibrary.class);

    /** {@code size_t}: as wide as the platform's. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }

        static SizeT of(byte[] b) {
            return new SizeT(b == null ? 0 : b.length);
        }
    }

    int EIDPL_SETTINGS_AUTO = 0;
    int EIDPL_SETTINGS_JSON = 1;
    int EIDPL_SETTINGS_TOML = 2;

    Pointer eidpl_version();

    void eidpl_string_free(Pointer s);

    int eidpl_error_code(Pointer err);

    Pointer eidpl_error_code_name(Pointer err);

    Pointer eidpl_error_message(Pointer err);

    Pointer eidpl_error_details_json(Pointer err);

    void eidpl_error_free(Pointer err);

    int eidpl_keys_generate(byte[] options, SizeT optionsLen, PointerByReference outJson,
            PointerByReference err);

    int eidpl_verify_document(byte[] document, SizeT documentLen, byte[] options, SizeT optionsLen,
            PointerByReference outJson, PointerByReference err);

    int eidpl_wk_sp_new(byte[] settings, SizeT settingsLen, int format, byte[] baseDir,
            SizeT baseDirLen, PointerByReference out, PointerByReference err);

    void eidpl_wk_sp_free(Pointer sp);

    int eidpl_wk_authn_request(Pointer sp, byte[] options, SizeT optionsLen,
            PointerByReference outJson, PointerByReference err);

    int eidpl_wk_artifact_resolve_request(Pointer sp, byte[] artifact, SizeT artifactLen,
            PointerByReference outJson, PointerByReference err);

    int eidpl_wk_resolve_artifact(Pointer sp, byte[] artifact, SizeT artifactLen,
            byte[] authnRequestId, SizeT authnRequestIdLen, PointerByReference outJson,
            PointerByReference err);

    int eidpl_wk_validate_artifact_response(Pointer sp, byte[] response, SizeT responseLen,
            byte[] expected, SizeT expectedLen, PointerByReference outJson, PointerByReference err);

    int eidpl_wk_logout_request(Pointer sp, byte[] nameId, SizeT nameIdLen, byte[] sessionIndex,
            SizeT sessionIndexLen, PointerByReference outJson, PointerByReference err);

    int eidpl_wk_validate_logout_response(Pointer sp, byte[] response, SizeT responseLen,
            byte[] logoutRequestId, SizeT logoutRequestIdLen, PointerByReference outJson,
            PointerByReference err);

    int eidpl_wk_logout(Pointer sp, byte[] nameId, SizeT nameIdLen, byte[] sessionIndex,
            SizeT sessionIndexLen, PointerByReference outJson, PointerByReference err);

    int eidpl_wk_metadata(Pointer sp, PointerByReference outXml, PointerByReference err);
}
