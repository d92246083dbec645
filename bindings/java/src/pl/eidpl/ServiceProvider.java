package pl.eidpl;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A Węzeł Krajowy service provider (DU). Build it once at start-up and share it: every method may
 * be called from many threads at once (its replay cache is locked inside libeidpl). Close it when
 * the application stops; {@code close} waits for calls in progress, and afterwards every method
 * throws {@link IllegalStateException}. An unclosed provider is freed when it is collected.
 */
public final class ServiceProvider implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Frees the native handle, at most once (Cleaner guarantees it). */
    private static final class Free implements Runnable {
        private final Pointer sp;

        Free(Pointer sp) {
            this.sp = sp;
        }

        @Override
        public void run() {
            Call.LIB.eidpl_wk_sp_free(sp);
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Cleaner.Cleanable cleanable;
    private Pointer handle; // null once closed; guarded by lock

    private ServiceProvider(Pointer handle) {
        this.handle = handle;
        this.cleanable = CLEANER.register(this, new Free(handle));
    }

    /**
     * Settings as raw bytes (must be UTF-8) in a given format; relative key and certificate paths
     * resolve against {@code baseDir} (null: the working directory).
     */
    public static ServiceProvider fromSettings(byte[] settings, SettingsFormat format, String baseDir) {
        return fromSettings(settings, format.value, baseDir);
    }

    /** As above with the raw {@code EIDPL_SETTINGS_*} number (an unknown one is invalid_input). */
    public static ServiceProvider fromSettings(byte[] settings, int format, String baseDir) {
        byte[] dir = Call.utf8(baseDir);
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        int status = Call.LIB.eidpl_wk_sp_new(settings, EidplLibrary.SizeT.of(settings), format, dir,
                EidplLibrary.SizeT.of(dir), out, err);
        if (status != 0) {
            try {
                throw EidplException.from(status, err.getValue());
            } finally {
                Call.LIB.eidpl_error_free(err.getValue());
                Call.LIB.eidpl_wk_sp_free(out.getValue());
            }
        }
        return new ServiceProvider(out.getValue());
    }

    public static ServiceProvider fromJson(String json, String baseDir) {
        return fromSettings(Call.utf8(json), SettingsFormat.JSON, baseDir);
    }

    public static ServiceProvider fromJson(String json) {
        return fromJson(json, null);
    }

    public static ServiceProvider fromToml(String toml, String baseDir) {
        return fromSettings(Call.utf8(toml), SettingsFormat.TOML, baseDir);
    }

    public static ServiceProvider fromToml(String toml) {
        return fromToml(toml, null);
    }

    /**
     * Settings from a file ({@code .toml}: TOML, {@code .json}: JSON, else recognised by content);
     * relative paths inside resolve against the file's directory.
     */
    public static ServiceProvider fromFile(Path path) throws IOException {
        Path full = path.toAbsolutePath();
        String name = full.getFileName().toString().toLowerCase(Locale.ROOT);
        SettingsFormat format = name.endsWith(".toml") ? SettingsFormat.TOML
                : name.endsWith(".json") ? SettingsFormat.JSON : SettingsFormat.AUTO;
        Path dir = full.getParent();
        return fromSettings(Files.readAllBytes(full), format, dir == null ? null : dir.toString());
    }

    /** Runs a native call on the live handle; the read lock keeps close() out until it returns. */
    private <T> T with(Function<Pointer, T> body) {
        lock.readLock().lock();
        try {
            if (handle == null) {
                throw new IllegalStateException("ServiceProvider is closed");
            }
            return body.apply(handle);
        } finally {
            lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** A signed AuthnRequest; {@code loa}: null, "low", "substantial" (WK's default) or "high". */
    public AuthnRequestResult authnRequest(String relayState, String loa) {
        return authnRequestJson(Json.object("relay_state", relayState, "loa", loa));
    }

    public AuthnRequestResult authnRequest() {
        return authnRequestJson(null);
    }

    /** AuthnRequest with the options as a JSON object text (see include/eidpl.h). */
    public AuthnRequestResult authnRequestJson(String optionsJson) {
        byte[] o = Call.utf8(optionsJson);
        return new AuthnRequestResult(with(sp -> Call.run((out, err) ->
                Call.LIB.eidpl_wk_authn_request(sp, o, EidplLibrary.SizeT.of(o), out, err))));
    }

    /** The signed SOAP ArtifactResolve for the SAMLart WK posted to the ACS URL. */
    public SoapRequest artifactResolveRequest(String artifact) {
        byte[] a = Call.utf8(artifact);
        return new SoapRequest(with(sp -> Call.run((out, err) ->
                Call.LIB.eidpl_wk_artifact_resolve_request(sp, a, EidplLibrary.SizeT.of(a), out, err))));
    }

    /** Resolves the SAMLart at WK over HTTPS and validates the answer (blocks up to the timeouts). */
    public LoginResult resolveArtifact(String artifact, String authnRequestId) {
        byte[] a = Call.utf8(artifact);
        byte[] id = Call.utf8(authnRequestId);
        return new LoginResult(with(sp -> Call.run((out, err) -> Call.LIB.eidpl_wk_resolve_artifact(
                sp, a, EidplLibrary.SizeT.of(a), id, EidplLibrary.SizeT.of(id), out, err))));
    }

    /**
     * Validates WK's answer to an ArtifactResolve. {@code now}: RFC 3339 or null (the current
     * time); {@code artifactResolveId}: required for an ArtifactResponse.
     */
    public LoginResult validateArtifactResponse(byte[] response, String authnRequestId,
            String artifactResolveId, String now) {
        return validateArtifactResponseJson(response, Call.utf8(Json.object("authn_request_id",
                authnRequestId, "artifact_resolve_id", artifactResolveId, "now", now)));
    }

    public LoginResult validateArtifactResponse(String xml, String authnRequestId,
            String artifactResolveId, String now) {
        return validateArtifactResponse(Call.utf8(xml), authnRequestId, artifactResolveId, now);
    }

    /** validateArtifactResponse with the expectations as a JSON object (UTF-8 bytes). */
    public LoginResult validateArtifactResponseJson(byte[] response, byte[] expectedJson) {
        return new LoginResult(with(sp -> Call.run((out, err) ->
                Call.LIB.eidpl_wk_validate_artifact_response(sp, response, EidplLibrary.SizeT.of(response),
                        expectedJson, EidplLibrary.SizeT.of(expectedJson), out, err))));
    }

    /** The signed SOAP LogoutRequest for a session (name id and session index of the login). */
    public SoapRequest logoutRequest(String nameId, String sessionIndex) {
        byte[] n = Call.utf8(nameId);
        byte[] s = Call.utf8(sessionIndex);
        return new SoapRequest(with(sp -> Call.run((out, err) -> Call.LIB.eidpl_wk_logout_request(
                sp, n, EidplLibrary.SizeT.of(n), s, EidplLibrary.SizeT.of(s), out, err))));
    }

    /** Checks WK's LogoutResponse to the LogoutRequest {@code logoutRequestId}. */
    public LogoutResult validateLogoutResponse(byte[] response, String logoutRequestId) {
        byte[] id = Call.utf8(logoutRequestId);
        return new LogoutResult(with(sp -> Call.run((out, err) -> Call.LIB.eidpl_wk_validate_logout_response(
                sp, response, EidplLibrary.SizeT.of(response), id, EidplLibrary.SizeT.of(id), out, err))));
    }

    public LogoutResult validateLogoutResponse(String xml, String logoutRequestId) {
        return validateLogoutResponse(Call.utf8(xml), logoutRequestId);
    }

    /** Logs the session out at WK over HTTPS. */
    public LogoutResult logout(String nameId, String sessionIndex) {
        byte[] n = Call.utf8(nameId);
        byte[] s = Call.utf8(sessionIndex);
        return new LogoutResult(with(sp -> Call.run((out, err) -> Call.LIB.eidpl_wk_logout(
                sp, n, EidplLibrary.SizeT.of(n), s, EidplLibrary.SizeT.of(s), out, err))));
    }

    /** The SP's SAML metadata XML for COI. */
    public String metadata() {
        return with(sp -> Call.run((out, err) -> Call.LIB.eidpl_wk_metadata(sp, out, err)));
    }

    /** Frees the native provider after calls in progress return; closing twice is harmless. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != null) {
                handle = null;
                cleanable.clean();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
