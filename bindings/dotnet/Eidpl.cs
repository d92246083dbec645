// The public C# API of eidpl over libeidpl's C ABI (ffi/README.md is the contract).
// Written for .NET Standard 2.0: runs on .NET Framework 4.x, mono and .NET 6+.
using System;
using System.IO;

namespace Eidpl
{
    /// A failed libeidpl call: the stable code (docs/errors.md), a message for people and
    /// structured details as a JSON object.
    public class EidplException : Exception
    {
        /// The stable snake_case code, e.g. "digest_mismatch", "replay_detected", "config_invalid".
        public string StableCode { get; }

        /// The stable number of the code (EIDPL_DIGEST_MISMATCH = 9, …); never renumbered.
        public int NumericCode { get; }

        /// Details as a JSON object, e.g. {"setting":"sp.acs_url"} or {"expected":…,"actual":…}.
        public string DetailsJson { get; }

        public EidplException(int numericCode, string stableCode, string message, string detailsJson)
            : base(stableCode + ": " + message)
        {
            NumericCode = numericCode;
            StableCode = stableCode;
            DetailsJson = detailsJson;
        }

        internal static EidplException From(int status, ErrorHandle err)
        {
            if (err == null || err.IsInvalid)
            {
                return new EidplException(status, "unknown", "libeidpl returned status " + status, "{}");
            }
            return new EidplException(Native.eidpl_error_code(err),
                Native.CopyUtf8(Native.eidpl_error_code_name(err)),
                Native.CopyUtf8(Native.eidpl_error_message(err)),
                Native.CopyUtf8(Native.eidpl_error_details_json(err)));
        }
    }

    /// The settings format of ServiceProvider.FromSettings (EIDPL_SETTINGS_*).
    public enum SettingsFormat
    {
        /// JSON if the text starts with '{', TOML otherwise.
        Auto = 0,
        Json = 1,
        Toml = 2,
    }

    /// Base of every result: the JSON text libeidpl returned and its parsed form.
    public abstract class JsonResult
    {
        /// The result exactly as libeidpl returned it.
        public string Json { get; }

        /// The parsed JSON (Dictionary&lt;string, object&gt;; see Eidpl.Json).
        public object Parsed { get; }

        protected JsonResult(string json)
        {
            Json = json;
            Parsed = Eidpl.Json.Parse(json);
        }

        protected string S(params string[] path) => Eidpl.Json.Str(Parsed, path);

        public override string ToString() => Json;
    }

    /// A signed AuthnRequest: keep Id in the user's session; send the browser HtmlForm (or POST
    /// SamlRequest and RelayState to Destination yourself).
    public sealed class AuthnRequestResult : JsonResult
    {
        public string Id => S("id");
        public string Xml => S("xml");
        public string SamlRequest => S("saml_request");
        public string Destination => S("destination");
        public string RelayState => S("relay_state");
        public string HtmlForm => S("html_form");

        internal AuthnRequestResult(string json) : base(json) { }
    }

    /// A signed SOAP message to POST (Content-Type: text/xml) to Url; Id identifies it.
    public sealed class SoapRequest : JsonResult
    {
        public string Id => S("id");
        public string Soap => S("soap");
        public string Url => S("url");

        internal SoapRequest(string json) : base(json) { }
    }

    /// A verified WK login: who logged in, at which level of assurance.
    public sealed class LoginResult : JsonResult
    {
        public string NameId => S("name_id");
        public string SessionIndex => S("session_index");
        public string Loa => S("loa");
        public string Issuer => S("issuer");
        public string PersonIdentifier => S("person", "person_identifier");
        public string Pesel => S("person", "pesel");
        public string GivenName => S("person", "given_name");
        public string FamilyName => S("person", "family_name");
        public string DateOfBirth => S("person", "date_of_birth");

        internal LoginResult(string json) : base(json) { }
    }

    /// WK's answer to a LogoutRequest.
    public sealed class LogoutResult : JsonResult
    {
        public string InResponseTo => S("in_response_to");
        public bool Complete => Eidpl.Json.Get(Parsed, "complete") is bool b && b;

        internal LogoutResult(string json) : base(json) { }
    }

    /// A document verification report (docs/verify.md). Check Verdict: "valid", "invalid" or
    /// "indeterminate".
    public sealed class VerificationReport : JsonResult
    {
        public string Verdict => S("verdict");
        public bool IsValid => Verdict == "valid";
        public string DocumentType => S("document_type");

        /// The kind of the index-th signature ("pz", "qes", "untrusted_pz_claim", …), or null.
        public string SignatureKind(int index) => S("signatures", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "kind");

        internal VerificationReport(string json) : base(json) { }
    }

    /// The library itself.
    public static class Library
    {
        /// libeidpl's version, e.g. "0.1.0".
        public static string Version => Native.CopyUtf8(Native.eidpl_version());
    }

    /// A Węzeł Krajowy service provider (DU). Build it once at start-up and share it: every
    /// method may be called from many threads at once (its replay cache is locked inside
    /// libeidpl). Dispose it when the application stops; after that every method throws
    /// ObjectDisposedException.
    public sealed class ServiceProvider : IDisposable
    {
        private readonly ServiceProviderHandle handle;

        private ServiceProvider(ServiceProviderHandle handle)
        {
            this.handle = handle;
        }

        /// Settings as raw bytes (must be UTF-8) in a given format; relative key and certificate
        /// paths resolve against baseDir (null: the working directory).
        public static ServiceProvider FromSettings(byte[] settings, SettingsFormat format, string baseDir = null)
        {
            byte[] dir = Native.Utf8(baseDir);
            int status = Native.eidpl_wk_sp_new(settings, Native.Len(settings), (int)format, dir,
                Native.Len(dir), out ServiceProviderHandle sp, out ErrorHandle err);
            using (err)
            {
                if (status != 0)
                {
                    sp?.Dispose();
                    throw EidplException.From(status, err);
                }
            }
            return new ServiceProvider(sp);
        }

        public static ServiceProvider FromJson(string json, string baseDir = null) =>
            FromSettings(Native.Utf8(json), SettingsFormat.Json, baseDir);

        public static ServiceProvider FromToml(string toml, string baseDir = null) =>
            FromSettings(Native.Utf8(toml), SettingsFormat.Toml, baseDir);

        /// Settings from a file (.toml: TOML, .json: JSON, else recognised by content); relative
        /// paths inside resolve against the file's directory.
        public static ServiceProvider FromFile(string path)
        {
            string full = Path.GetFullPath(path);
            string ext = Path.GetExtension(full).ToLowerInvariant();
            var format = ext == ".toml" ? SettingsFormat.Toml : ext == ".json" ? SettingsFormat.Json : SettingsFormat.Auto;
            return FromSettings(File.ReadAllBytes(full), format, Path.GetDirectoryName(full));
        }

        private ServiceProviderHandle H
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException(nameof(ServiceProvider));
                }
                return handle;
            }
        }

        /// A signed AuthnRequest. loa: "low", "substantial" (WK's default) or "high".
        public AuthnRequestResult AuthnRequest(string relayState = null, string loa = null, string cspNonce = null) =>
            AuthnRequestJson(Json.Object("relay_state", relayState, "loa", loa, "csp_nonce", cspNonce));

        /// AuthnRequest with the options as a JSON object text (see include/eidpl.h).
        public AuthnRequestResult AuthnRequestJson(string optionsJson)
        {
            byte[] o = Native.Utf8(optionsJson);
            int status = Native.eidpl_wk_authn_request(H, o, Native.Len(o), out IntPtr json, out ErrorHandle err);
            return new AuthnRequestResult(Native.Finish(status, json, err));
        }

        /// The signed SOAP ArtifactResolve for the SAMLart WK posted to the ACS URL.
        public SoapRequest ArtifactResolveRequest(string artifact)
        {
            byte[] a = Native.Utf8(artifact);
            int status = Native.eidpl_wk_artifact_resolve_request(H, a, Native.Len(a), out IntPtr json, out ErrorHandle err);
            return new SoapRequest(Native.Finish(status, json, err));
        }

        /// Resolves the SAMLart at WK over HTTPS and validates the answer (blocks up to the
        /// [http] timeouts of the settings).
        public LoginResult ResolveArtifact(string artifact, string authnRequestId)
        {
            byte[] a = Native.Utf8(artifact), id = Native.Utf8(authnRequestId);
            int status = Native.eidpl_wk_resolve_artifact(H, a, Native.Len(a), id, Native.Len(id),
                out IntPtr json, out ErrorHandle err);
            return new LoginResult(Native.Finish(status, json, err));
        }

        /// Validates WK's answer to an ArtifactResolve. now: RFC 3339 (null: the current time);
        /// minimumLoa: null, "low", "substantial" or "high".
        public LoginResult ValidateArtifactResponse(byte[] response, string authnRequestId,
            string artifactResolveId = null, string now = null, string minimumLoa = null) =>
            ValidateArtifactResponseJson(response, Native.Utf8(Json.Object("authn_request_id", authnRequestId,
                "artifact_resolve_id", artifactResolveId, "now", now, "minimum_loa", minimumLoa)));

        public LoginResult ValidateArtifactResponse(string xml, string authnRequestId,
            string artifactResolveId = null, string now = null, string minimumLoa = null) =>
            ValidateArtifactResponse(Native.Utf8(xml), authnRequestId, artifactResolveId, now, minimumLoa);

        /// ValidateArtifactResponse with the expectations as a JSON object (UTF-8 bytes).
        public LoginResult ValidateArtifactResponseJson(byte[] response, byte[] expectedJson)
        {
            int status = Native.eidpl_wk_validate_artifact_response(H, response, Native.Len(response),
                expectedJson, Native.Len(expectedJson), out IntPtr json, out ErrorHandle err);
            return new LoginResult(Native.Finish(status, json, err));
        }

        /// The signed SOAP LogoutRequest for a session (NameId and SessionIndex of the login).
        public SoapRequest LogoutRequest(string nameId, string sessionIndex)
        {
            byte[] n = Native.Utf8(nameId), s = Native.Utf8(sessionIndex);
            int status = Native.eidpl_wk_logout_request(H, n, Native.Len(n), s, Native.Len(s), out IntPtr json, out ErrorHandle err);
            return new SoapRequest(Native.Finish(status, json, err));
        }

        /// Checks WK's LogoutResponse to the LogoutRequest logoutRequestId.
        public LogoutResult ValidateLogoutResponse(byte[] response, string logoutRequestId)
        {
            byte[] id = Native.Utf8(logoutRequestId);
            int status = Native.eidpl_wk_validate_logout_response(H, response, Native.Len(response), id,
                Native.Len(id), out IntPtr json, out ErrorHandle err);
            return new LogoutResult(Native.Finish(status, json, err));
        }

        public LogoutResult ValidateLogoutResponse(string xml, string logoutRequestId) =>
            ValidateLogoutResponse(Native.Utf8(xml), logoutRequestId);

        /// Logs the session out at WK over HTTPS.
        public LogoutResult Logout(string nameId, string sessionIndex)
        {
            byte[] n = Native.Utf8(nameId), s = Native.Utf8(sessionIndex);
            int status = Native.eidpl_wk_logout(H, n, Native.Len(n), s, Native.Len(s), out IntPtr json, out ErrorHandle err);
            return new LogoutResult(Native.Finish(status, json, err));
        }

        /// The SP's SAML metadata XML for COI.
        public string Metadata()
        {
            int status = Native.eidpl_wk_metadata(H, out IntPtr xml, out ErrorHandle err);
            return Native.Finish(status, xml, err);
        }

        public void Dispose() => handle.Dispose();
    }

    /// Verification of signed XML documents (podpis zaufany, XAdES, ePUAP letters and UPO).
    public static class DocumentVerifier
    {
        /// Verifies every signature in the document. optionsJson: {"trust_anchors_pem"?,
        /// "intermediates_pem"?, "crls_pem"?, "detached"?, "now"?, "check_pesel"?} (null: none,
        /// so at best "indeterminate"). A readable document always gives a report: check Verdict.
        public static VerificationReport Verify(byte[] document, string optionsJson = null)
        {
            byte[] o = Native.Utf8(optionsJson);
            int status = Native.eidpl_verify_document(document, Native.Len(document), o, Native.Len(o),
                out IntPtr json, out ErrorHandle err);
            return new VerificationReport(Native.Finish(status, json, err));
        }
    }

    /// Key generation for a new DU.
    public static class Keys
    {
        /// The two P-256 key pairs WK needs, with CSRs and self-signed certificates:
        /// {"signing": {"key_pem", "csr_pem", "certificate_pem", "subject"}, "encryption": {…}}.
        public static string Generate(string entityId, string organization = null, string country = null)
        {
            byte[] o = Native.Utf8(Json.Object("entity_id", entityId, "organization", organization, "country", country));
            int status = Native.eidpl_keys_generate(o, Native.Len(o), out IntPtr json, out ErrorHandle err);
            return Native.Finish(status, json, err);
        }
    }
}
