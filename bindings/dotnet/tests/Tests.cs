// The C# wrapper end to end, as tests/c/test_eidpl.c does it for C: the real 2018 WK login,
// forgery, replay, the PZ document, bad input of every kind, use after Dispose, and eight
// threads at once with results identical to a single-threaded run.
//
//   mono Tests.exe INTEROP_DIR FIXTURE_DIR
//
// Prints "N passed, M failed" and exits non-zero on any failure.
using System;
using System.IO;
using System.Text;
using System.Threading;
using Eidpl;

public static class Tests
{
    static int passed, failed;
    static string interop, fixtures, base2018;
    static byte[] response2018;

    const string Settings2018 =
        "{\"sp\": {\"entity_id\": \"http://localhost.sp.pl\"," +
        " \"acs_url\": \"http://localhost:11080/saml-emulator/context\"," +
        " \"encryption_keys\": [{\"path\": \"du_enc_ec.p12\", \"password\": \"12345\"}]}," +
        " \"idp\": {\"environment\": \"simulator\", \"signing_certs\": [\"wk_sig_ec.pem\"]}}";

    const string Settings2018Toml =
        "[sp]\n" +
        "entity_id = \"http://localhost.sp.pl\"\n" +
        "acs_url = \"http://localhost:11080/saml-emulator/context\"\n" +
        "encryption_keys = [{ path = \"du_enc_ec.p12\", password = \"12345\" }]\n" +
        "[idp]\n" +
        "environment = \"simulator\"\n" +
        "signing_certs = [\"wk_sig_ec.pem\"]\n";

    const string AuthnId = "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc";
    const string ResolveId = "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df";
    const string Now2018 = "2018-09-13T13:20:00Z";

    static void Check(bool ok, string what)
    {
        if (ok)
        {
            Interlocked.Increment(ref passed);
        }
        else
        {
            Interlocked.Increment(ref failed);
            Console.Error.WriteLine("FAIL: " + what);
        }
    }

    /// Runs `action`, which must throw an EidplException with this code; returns it.
    static EidplException Throws(string code, Action action, string what)
    {
        try
        {
            action();
            Check(false, what + ": no exception, expected " + code);
            return null;
        }
        catch (EidplException e)
        {
            Check(e.StableCode == code, what + ": code " + e.StableCode + " (" + e.Message + " " + e.DetailsJson + ") is " + code);
            Check(e.NumericCode > 0 && e.Message.Length > 0 && e.DetailsJson.StartsWith("{"), what + ": number, message and details");
            return e;
        }
        catch (Exception e)
        {
            Check(false, what + ": " + e.GetType().Name + " " + e.Message + ", expected " + code);
            return null;
        }
    }

    static bool Is2018Identity(LoginResult r) =>
        r.NameId == "adminAll" && r.Pesel == "87022243734" && r.GivenName == "Roch" &&
        r.FamilyName == "Apitz" && r.Loa == "substantial";

    static ServiceProvider Sp2018() => ServiceProvider.FromJson(Settings2018, base2018);

    static LoginResult Validate2018(ServiceProvider sp, byte[] response) =>
        sp.ValidateArtifactResponse(response, AuthnId, ResolveId, Now2018);

    // ------------------------------------------------------------ the 2018 WK login

    static void Test2018(ServiceProvider sp)
    {
        // One byte of a name changed: WK's issuer name in the signed ArtifactResponse.
        string text = Encoding.UTF8.GetString(response2018);
        string issuer = "<saml2:Issuer>localhost.wk.gov.pl<";
        Check(text.Contains(issuer), "the 2018 answer names its issuer");
        byte[] forged = Encoding.UTF8.GetBytes(text.Replace(issuer, "<saml2:Issuer>localhost.wk.gov.pk<"));
        Check(forged.Length == response2018.Length, "the forgery has the same length");
        var e = Throws("digest_mismatch", () => Validate2018(sp, forged), "forged issuer");
        Check(e != null && e.NumericCode == 9, "digest_mismatch is number 9");

        Throws("expired", () => sp.ValidateArtifactResponse(response2018, AuthnId, ResolveId, "2018-09-13T15:00:00Z"), "too late");
        e = Throws("in_response_to_mismatch", () => sp.ValidateArtifactResponse(response2018, AuthnId, "ID-other", Now2018), "other ArtifactResolve");
        Check(e != null && e.DetailsJson.Contains("\"expected\":\"ID-other\""), "details name the expected ID");

        // The real one as a string (UTF-8 on the way in), then a replay.
        LoginResult r = sp.ValidateArtifactResponse(Encoding.UTF8.GetString(response2018), AuthnId, ResolveId, Now2018);
        Check(Is2018Identity(r), "the 2018 identity: " + r.Json);
        Check(r.SessionIndex == "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150", "session index");
        e = Throws("replay_detected", () => Validate2018(sp, response2018), "replay");
        Check(e != null && e.NumericCode == 25, "replay_detected is number 25");

        // The same settings as TOML, and from a file: new SPs, new replay caches.
        using (var toml = ServiceProvider.FromToml(Settings2018Toml, base2018))
        {
            Check(Is2018Identity(Validate2018(toml, response2018)), "TOML settings");
        }
        string file = Path.Combine(Path.GetTempPath(), "eidpl-dotnet-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, Settings2018
            .Replace("\"du_enc_ec.p12\"", Json.Quote(Path.Combine(base2018, "du_enc_ec.p12")))
            .Replace("\"wk_sig_ec.pem\"", Json.Quote(Path.Combine(base2018, "wk_sig_ec.pem"))));
        try
        {
            using (var fromFile = ServiceProvider.FromFile(file))
            {
                Check(Is2018Identity(Validate2018(fromFile, response2018)), "settings from a file");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    // ------------------------------------------------------------ a generated DU: requests

    static void TestRequests()
    {
        string keys = Keys.Generate("https://gmina.example.pl", "Gmina Example");
        object k = Json.Parse(keys);
        Check(Json.Str(k, "signing", "subject") == "CN=https://gmina.example.pl_sig_ec, O=Gmina Example, C=PL", "generated subject");
        string settings = "{\"sp\": {\"entity_id\": \"https://gmina.example.pl\"," +
            " \"acs_url\": \"https://gmina.example.pl/wk/acs\", \"provider_name\": \"Gmina Example\"," +
            " \"signing_key\": " + Json.Quote(Json.Str(k, "signing", "key_pem")) +
            ", \"signing_cert\": " + Json.Quote(Json.Str(k, "signing", "certificate_pem")) +
            ", \"encryption_keys\": [" + Json.Quote(Json.Str(k, "encryption", "key_pem")) + "]" +
            ", \"encryption_certs\": [" + Json.Quote(Json.Str(k, "encryption", "certificate_pem")) + "]}, ";
        using (var sp = ServiceProvider.FromJson(settings + "\"idp\": {\"environment\": \"integration\"}}"))
        {
            var a = sp.AuthnRequest("sesja-42", "high", "n0nce");
            Check(a.Id.StartsWith("ID-") && a.RelayState == "sesja-42" && a.Xml.Contains("LoA/high") && a.HtmlForm.Contains("n0nce"), "AuthnRequest: " + a.Json);
            Check(a.Destination == "https://int.login.gov.pl/login/SingleSignOnService", "AuthnRequest destination");
            Check(sp.AuthnRequest().RelayState == null, "AuthnRequest with defaults");
            Throws("config_invalid", () => sp.AuthnRequest(loa: "medium"), "AuthnRequest with a bad LoA");

            string artifact = "AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=";
            var ar = sp.ArtifactResolveRequest(artifact);
            Check(ar.Url == "https://int.login.gov.pl/login-services/idpArtifactResolutionService" && ar.Soap.Contains(artifact), "ArtifactResolve");
            Throws("invalid_input", () => sp.ArtifactResolveRequest("not base64!"), "ArtifactResolve of garbage");

            var lr = sp.LogoutRequest("adminAll", "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150");
            Check(lr.Soap.Contains("LogoutRequest") && lr.Id.Length > 0, "LogoutRequest");
            Throws("invalid_input", () => sp.LogoutRequest("adminAll", null), "LogoutRequest without a session");
            string answer = "<saml2p:LogoutResponse xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\"" +
                " xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"ID-answer\" Version=\"2.0\"" +
                " IssueInstant=\"2026-01-01T00:00:00Z\" InResponseTo=\"" + lr.Id + "\">" +
                "<saml2:Issuer>int.login.gov.pl</saml2:Issuer><saml2p:Status><saml2p:StatusCode" +
                " Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></saml2p:Status>" +
                "</saml2p:LogoutResponse>";
            var lo = sp.ValidateLogoutResponse(answer, lr.Id);
            Check(lo.Complete && lo.InResponseTo == lr.Id && lo.Json.Contains("logout_response_unsigned"), "LogoutResponse: " + lo.Json);
            Throws("in_response_to_mismatch", () => sp.ValidateLogoutResponse(answer, "ID-other"), "LogoutResponse to another request");

            string md = sp.Metadata();
            Check(md.Contains("<md:EntityDescriptor") && md.Contains("entityID=\"https://gmina.example.pl\""), "metadata");
            var e = Throws("config_invalid", () => Validate2018(sp, response2018), "validation without pinned WK certificates");
            Check(e != null && e.DetailsJson.Contains("idp.signing_certs"), "details name idp.signing_certs");
        }

        // The HTTP calls against a loopback port where nothing listens: a clean http_error.
        string http = settings + "\"idp\": {\"environment\": \"custom\", \"entity_id\": \"localhost.wk.gov.pl\"," +
            " \"signing_certs\": [\"wk_sig_ec.pem\"], \"artifact_resolution_url\": \"http://127.0.0.1:9/ars\"," +
            " \"slo_url\": \"http://127.0.0.1:9/slo\"}, \"http\": {\"timeout_seconds\": 5, \"connect_timeout_seconds\": 2}}";
        using (var sp = ServiceProvider.FromJson(http, base2018))
        {
            var e = Throws("http_error", () => sp.ResolveArtifact("AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=", AuthnId), "ResolveArtifact");
            Check(e != null && e.DetailsJson.Contains("\"reason\""), "http_error has a reason");
            Throws("http_error", () => sp.Logout("adminAll", "_ID-1"), "Logout");
        }
    }

    // ------------------------------------------------------------ documents

    static void TestDocuments()
    {
        byte[] doc = File.ReadAllBytes(Path.Combine(fixtures, "pz-document.xml"));
        byte[] forged = File.ReadAllBytes(Path.Combine(fixtures, "pz-forged.xml"));
        string options = File.ReadAllText(Path.Combine(fixtures, "pz-options.json"), Encoding.UTF8);

        var report = DocumentVerifier.Verify(doc, options);
        Check(report.IsValid && report.Verdict == "valid", "the PZ document is valid: " + report.Verdict);
        Check(report.SignatureKind(0) == "pz", "its signature is a PZ: " + report.SignatureKind(0));
        Check(Json.Str(report.Parsed, "signatures", "0", "indication") == "TOTAL_PASSED", "TOTAL_PASSED");
        Check(report.Json.Contains("\"pesel\":\"87022243734\"") && report.Json.Contains("\"family_name\":\"Kowalski\""), "the signer");

        var bad = DocumentVerifier.Verify(forged, options);
        Check(bad.Verdict == "invalid" && bad.Json.Contains("\"sub_indication\":\"HASH_FAILURE\""), "the forged PZ document is invalid");
        var untrusted = DocumentVerifier.Verify(doc);
        Check(untrusted.Verdict == "invalid" && untrusted.SignatureKind(0) == "untrusted_pz_claim", "no trust anchor: untrusted PZ claim");

        Throws("xml_malformed", () => DocumentVerifier.Verify(new byte[] { 1, 2, (byte)'g' }), "garbage document");
        Throws("key_invalid", () => DocumentVerifier.Verify(doc, "{\"trust_anchors_pem\": \"not a certificate\"}"), "bad anchor");
        var e = Throws("config_invalid", () => DocumentVerifier.Verify(doc, "{\"trust_anchor_pem\": \"\"}"), "unknown option");
        Check(e != null && e.DetailsJson.Contains("trust_anchor_pem"), "details name the unknown option");
    }

    // ------------------------------------------------------------ bad input

    static void TestBadInput(ServiceProvider sp2018)
    {
        // Settings: invalid UTF-8, empty, whitespace, unknown key, wrong format, missing password.
        byte[] notUtf8 = { (byte)'{', (byte)'"', (byte)'s', (byte)'p', (byte)'"', (byte)':', 0xff, 0xfe, (byte)'}' };
        var e = Throws("invalid_input", () => ServiceProvider.FromSettings(notUtf8, SettingsFormat.Auto), "settings not UTF-8");
        Check(e != null && e.DetailsJson.Contains("\"argument\":\"settings\""), "details name the settings");
        Throws("invalid_input", () => ServiceProvider.FromSettings(null, SettingsFormat.Auto), "null settings");
        Throws("invalid_input", () => ServiceProvider.FromSettings(new byte[0], SettingsFormat.Auto), "empty settings");
        Throws("invalid_input", () => ServiceProvider.FromJson(" \n"), "blank settings");
        Throws("invalid_input", () => ServiceProvider.FromSettings(Encoding.UTF8.GetBytes(Settings2018), (SettingsFormat)7), "unknown format");
        Throws("config_invalid", () => ServiceProvider.FromToml(Settings2018, base2018), "JSON as TOML");
        e = Throws("config_invalid", () => ServiceProvider.FromJson("{\"sp\": {\"entity_idd\": \"x\"}, \"idp\": {}}"), "unknown settings key");
        Check(e != null && e.DetailsJson.Contains("sp.entity_idd"), "details name sp.entity_idd");
        e = Throws("config_invalid", () => ServiceProvider.FromJson(Settings2018), "relative paths without a base directory");
        Check(e != null && e.DetailsJson.Contains("du_enc_ec.p12"), "details name the missing file");
        Throws("io_error", () => ServiceProvider.FromFile("/nonexistent/eidpl.json"), "missing settings file", typeof(FileNotFoundException), typeof(DirectoryNotFoundException));

        // Responses: empty, null, garbage, a DOCTYPE, 2 MB; expectations: unknown key, bad
        // UTF-8, missing; nothing of it may burn the one-time IDs or crash.
        AnyError(() => sp2018.ValidateArtifactResponse((byte[])null, AuthnId, ResolveId, Now2018), "null response (empty)");
        AnyError(() => sp2018.ValidateArtifactResponse(new byte[0], AuthnId, ResolveId, Now2018), "empty response");
        Throws("xml_malformed", () => sp2018.ValidateArtifactResponse("garbage", AuthnId, ResolveId, Now2018), "garbage response");
        Throws("doctype_forbidden", () => sp2018.ValidateArtifactResponse("<!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>", AuthnId, ResolveId, Now2018), "DOCTYPE");
        byte[] huge = new byte[2 * 1024 * 1024];
        for (int i = 0; i < huge.Length; i++) huge[i] = (byte)' ';
        Array.Copy(response2018, huge, response2018.Length);
        Throws("limit_exceeded", () => Validate2018(sp2018, huge), "2 MB response");
        e = Throws("config_invalid", () => sp2018.ValidateArtifactResponseJson(response2018, Encoding.UTF8.GetBytes("{\"authn_request_idd\": \"ID-1\"}")), "unknown expectation");
        Check(e != null && e.DetailsJson.Contains("authn_request_idd"), "details name authn_request_idd");
        Throws("config_invalid", () => sp2018.ValidateArtifactResponse(response2018, null), "no authn_request_id");
        Throws("config_invalid", () => sp2018.ValidateArtifactResponse(response2018, AuthnId, null, "yesterday"), "bad time");
        Throws("invalid_input", () => sp2018.ValidateArtifactResponseJson(response2018, new byte[] { (byte)'{', (byte)'"', 0xc3, 0x28, (byte)'"', (byte)'}' }), "expectations not UTF-8");
        // A string with a lone surrogate becomes U+FFFD in UTF-8, never a crash.
        AnyError(() => sp2018.ValidateArtifactResponse("<x>\ud800</x>", AuthnId, ResolveId, Now2018), "lone surrogate");

        // The SP has no signing key: requests are configuration errors naming it.
        e = Throws("config_invalid", () => sp2018.AuthnRequest(), "AuthnRequest without a signing key");
        Check(e != null && e.DetailsJson.Contains("sp.signing_key"), "details name sp.signing_key");
        Throws("config_invalid", () => sp2018.Metadata(), "metadata without certificates");

        // Still usable after all of that, and it remembers the real answer.
        Throws("replay_detected", () => Validate2018(sp2018, response2018), "replay after bad input");

        // Use after Dispose: ObjectDisposedException from every method; Dispose twice is fine.
        var sp = Sp2018();
        sp.Dispose();
        sp.Dispose();
        Disposed(() => Validate2018(sp, response2018), "validate");
        Disposed(() => sp.AuthnRequest(), "authn request");
        Disposed(() => sp.ArtifactResolveRequest("AAQA"), "artifact resolve");
        Disposed(() => sp.ResolveArtifact("AAQA", "ID-1"), "resolve artifact");
        Disposed(() => sp.LogoutRequest("a", "b"), "logout request");
        Disposed(() => sp.ValidateLogoutResponse("<x/>", "ID-1"), "logout response");
        Disposed(() => sp.Logout("a", "b"), "logout");
        Disposed(() => sp.Metadata(), "metadata");
    }

    static void Throws(string code, Action action, string what, params Type[] alternatives)
    {
        try
        {
            action();
            Check(false, what + ": no exception");
        }
        catch (EidplException e)
        {
            Check(e.StableCode == code, what + ": code " + e.StableCode + " is " + code);
        }
        catch (Exception e)
        {
            Check(Array.IndexOf(alternatives, e.GetType()) >= 0, what + ": " + e.GetType().Name + " " + e.Message);
        }
    }

    static void AnyError(Action action, string what)
    {
        try
        {
            action();
            Check(false, what + ": no exception");
        }
        catch (EidplException e)
        {
            Check(e.StableCode.Length > 0 && e.NumericCode > 0, what);
        }
        catch (Exception e)
        {
            Check(false, what + ": " + e.GetType().Name + " " + e.Message);
        }
    }

    static void Disposed(Action action, string what)
    {
        try
        {
            action();
            Check(false, what + " after Dispose: no exception");
        }
        catch (ObjectDisposedException)
        {
            Check(true, what);
        }
        catch (Exception e)
        {
            Check(false, what + " after Dispose: " + e.GetType().Name + " " + e.Message);
        }
    }

    // ------------------------------------------------------------ threads

    const int Threads = 8;
    static readonly string[] Citizens = { "Anna", "Jan", "Zofia", "Piotr", "Maria", "Tomasz", "Ewa", "Marek" };

    // attack: concurrency, replay
    static void TestThreads()
    {
        string worldSettings = File.ReadAllText(Path.Combine(fixtures, "wk-settings.json"), Encoding.UTF8);
        var answers = new byte[Threads][];
        var expected = new byte[Threads][];
        for (int i = 0; i < Threads; i++)
        {
            answers[i] = File.ReadAllBytes(Path.Combine(fixtures, "wk-answer-" + i + ".xml"));
            expected[i] = File.ReadAllBytes(Path.Combine(fixtures, "wk-expected-" + i + ".json"));
        }

        // Single-threaded first, on an SP of its own: the reference results.
        var reference = new string[Threads];
        using (var sp = ServiceProvider.FromJson(worldSettings))
        {
            for (int i = 0; i < Threads; i++)
            {
                var r = sp.ValidateArtifactResponseJson(answers[i], expected[i]);
                Check(r.GivenName == Citizens[i] && r.NameId == "obywatel-" + i, "citizen " + i + ": " + r.GivenName);
                reference[i] = r.Json;
            }
        }

        // Then all eight at the same instant: the 2018 answer on one shared SP (exactly one
        // wins, the others see a replay), each its own answer on one shared world SP (its own
        // citizen, identical to the reference, then a replay), requests and metadata on it, and
        // an SP of its own validating the next thread's answer.
        int logins = 0, replays = 0;
        using (var world = ServiceProvider.FromJson(worldSettings))
        using (var shared2018 = Sp2018())
        using (var barrier = new Barrier(Threads))
        {
            var threads = new Thread[Threads];
            for (int t = 0; t < Threads; t++)
            {
                int i = t;
                threads[t] = new Thread(() =>
                {
                    try
                    {
                        barrier.SignalAndWait();
                        try
                        {
                            Check(Is2018Identity(Validate2018(shared2018, response2018)), "thread " + i + ": 2018 identity");
                            Interlocked.Increment(ref logins);
                        }
                        catch (EidplException e) when (e.StableCode == "replay_detected")
                        {
                            Interlocked.Increment(ref replays);
                        }
                        Check(world.ValidateArtifactResponseJson(answers[i], expected[i]).Json == reference[i], "thread " + i + ": same result as single-threaded");
                        Throws("replay_detected", () => world.ValidateArtifactResponseJson(answers[i], expected[i]), "thread " + i + ": replay");
                        Check(world.AuthnRequest().Id.StartsWith("ID-"), "thread " + i + ": AuthnRequest");
                        Check(world.Metadata().Contains("EntityDescriptor"), "thread " + i + ": metadata");
                        int next = (i + 1) % Threads;
                        using (var own = ServiceProvider.FromJson(worldSettings))
                        {
                            Check(own.ValidateArtifactResponseJson(answers[next], expected[next]).Json == reference[next], "thread " + i + ": own SP");
                        }
                    }
                    catch (Exception e)
                    {
                        Check(false, "thread " + i + ": " + e);
                    }
                });
                threads[t].Start();
            }
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }
        Check(logins == 1 && replays == Threads - 1, "exactly one thread logged in: " + logins + " logins, " + replays + " replays");
    }

    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: mono Tests.exe INTEROP_DIR FIXTURE_DIR");
            return 2;
        }
        interop = args[0];
        fixtures = args[1];
        base2018 = Path.Combine(interop, "wk-simulator-2018");
        response2018 = File.ReadAllBytes(Path.Combine(base2018, "artifact-response.xml"));

        string version = Library.Version;
        Check(version != null && version.Contains("."), "version");
        Console.WriteLine("libeidpl " + version + " from C# (" + Environment.Version + ")");

        using (var sp = Sp2018())
        {
            Test2018(sp);
            TestRequests();
            TestDocuments();
            TestBadInput(sp);
        }
        TestThreads();

        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
