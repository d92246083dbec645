package pl.eidpl.tests;

import pl.eidpl.AuthnRequestResult;
import pl.eidpl.DocumentVerifier;
import pl.eidpl.Eidpl;
import pl.eidpl.EidplException;
import pl.eidpl.Json;
import pl.eidpl.Keys;
import pl.eidpl.LoginResult;
import pl.eidpl.LogoutResult;
import pl.eidpl.ServiceProvider;
import pl.eidpl.SettingsFormat;
import pl.eidpl.SoapRequest;
import pl.eidpl.VerificationReport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java wrapper end to end, as tests/c/test_eidpl.c does it for C: the real 2018 WK login,
 * forgery, replay, the PZ document, bad input of every kind, use after close, and eight threads
 * (an ExecutorService) at once with results identical to a single-threaded run.
 *
 * <pre>java -cp jna.jar:classes pl.eidpl.tests.Tests INTEROP_DIR FIXTURE_DIR</pre>
 *
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
public final class Tests {
    private static final AtomicInteger passed = new AtomicInteger();
    private static final AtomicInteger failed = new AtomicInteger();
    private static Path fixtures;
    private static String base2018;
    private static byte[] response2018;

    private static final String SETTINGS_2018 =
            "{\"sp\": {\"entity_id\": \"http://localhost.sp.pl\","
            + " \"acs_url\": \"http://localhost:11080/saml-emulator/context\","
            + " \"encryption_keys\": [{\"path\": \"du_enc_ec.p12\", \"password\": \"12345\"}]},"
            + " \"idp\": {\"environment\": \"simulator\", \"signing_certs\": [\"wk_sig_ec.pem\"]}}";

    private static final String SETTINGS_2018_TOML = "[sp]\n"
            + "entity_id = \"http://localhost.sp.pl\"\n"
            + "acs_url = \"http://localhost:11080/saml-emulator/context\"\n"
            + "encryption_keys = [{ path = \"du_enc_ec.p12\", password = \"12345\" }]\n"
            + "[idp]\n"
            + "environment = \"simulator\"\n"
            + "signing_certs = [\"wk_sig_ec.pem\"]\n";

    private static final String AUTHN_ID = "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc";
    private static final String RESOLVE_ID = "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df";
    private static final String NOW_2018 = "2018-09-13T13:20:00Z";
    private static final String ARTIFACT = "AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=";

    interface Body {
        void run() throws Exception;
    }

    private static boolean check(boolean ok, String what) {
        if (ok) {
            passed.incrementAndGet();
        } else {
            failed.incrementAndGet();
            System.err.println("FAIL: " + what);
        }
        return ok;
    }

    /** Runs {@code body}, which must throw an EidplException with this code; returns it. */
    private static EidplException fails(String code, Body body, String what) {
        try {
            body.run();
            check(false, what + ": no exception, expected " + code);
            return null;
        } catch (EidplException e) {
            check(code.equals(e.getStableCode()), what + ": code " + e.getStableCode() + " (" + e.getMessage()
                    + " " + e.getDetailsJson() + ") is " + code);
            check(e.getNumericCode() > 0 && !e.getMessage().isEmpty() && e.getDetailsJson().startsWith("{"),
                    what + ": number, message and details");
            return e;
        } catch (Exception e) {
            check(false, what + ": " + e + ", expected " + code);
            return null;
        }
    }

    private static void anyError(Body body, String what) {
        try {
            body.run();
            check(false, what + ": no exception");
        } catch (EidplException e) {
            check(!e.getStableCode().isEmpty() && e.getNumericCode() > 0, what);
        } catch (Exception e) {
            check(false, what + ": " + e);
        }
    }

    private static void closed(Body body, String what) {
        try {
            body.run();
            check(false, what + " after close: no exception");
        } catch (IllegalStateException e) {
            check(true, what);
        } catch (Exception e) {
            check(false, what + " after close: " + e);
        }
    }

    private static boolean is2018Identity(LoginResult r) {
        return "adminAll".equals(r.getNameId()) && "87022243734".equals(r.getPesel())
                && "Roch".equals(r.getGivenName()) && "Apitz".equals(r.getFamilyName())
                && "substantial".equals(r.getLoa());
    }

    private static ServiceProvider sp2018() {
        return ServiceProvider.fromJson(SETTINGS_2018, base2018);
    }

    private static LoginResult validate2018(ServiceProvider sp, byte[] response) {
        return sp.validateArtifactResponse(response, AUTHN_ID, RESOLVE_ID, NOW_2018);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ the 2018 WK login

    private static void test2018(ServiceProvider sp) throws Exception {
        // One byte of a name changed: WK's issuer name in the signed ArtifactResponse.
        String text = new String(response2018, StandardCharsets.UTF_8);
        String issuer = "<saml2:Issuer>localhost.wk.gov.pl<";
        check(text.contains(issuer), "the 2018 answer names its issuer");
        byte[] forged = utf8(text.replace(issuer, "<saml2:Issuer>localhost.wk.gov.pk<"));
        check(forged.length == response2018.length, "the forgery has the same length");
        EidplException e = fails("digest_mismatch", () -> validate2018(sp, forged), "forged issuer");
        check(e != null && e.getNumericCode() == 9, "digest_mismatch is number 9");

        fails("expired", () -> sp.validateArtifactResponse(response2018, AUTHN_ID, RESOLVE_ID, "2018-09-13T15:00:00Z"), "too late");
        e = fails("in_response_to_mismatch", () -> sp.validateArtifactResponse(response2018, AUTHN_ID, "ID-other", NOW_2018), "other ArtifactResolve");
        check(e != null && e.getDetailsJson().contains("\"expected\":\"ID-other\""), "details name the expected ID");

        // The real one as a string (UTF-8 on the way in), then a replay.
        LoginResult r = sp.validateArtifactResponse(text, AUTHN_ID, RESOLVE_ID, NOW_2018);
        check(is2018Identity(r), "the 2018 identity: " + r.getJson());
        check("_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150".equals(r.getSessionIndex()), "session index");
        e = fails("replay_detected", () -> validate2018(sp, response2018), "replay");
        check(e != null && e.getNumericCode() == 25, "replay_detected is number 25");

        // The same settings as TOML, and from a file: new SPs, new replay caches.
        try (ServiceProvider toml = ServiceProvider.fromToml(SETTINGS_2018_TOML, base2018)) {
            check(is2018Identity(validate2018(toml, response2018)), "TOML settings");
        }
        Path file = Files.createTempFile("eidpl-java-", ".json");
        try {
            Files.write(file, utf8(SETTINGS_2018
                    .replace("\"du_enc_ec.p12\"", Json.quote(Paths.get(base2018, "du_enc_ec.p12").toString()))
                    .replace("\"wk_sig_ec.pem\"", Json.quote(Paths.get(base2018, "wk_sig_ec.pem").toString()))));
            try (ServiceProvider fromFile = ServiceProvider.fromFile(file)) {
                check(is2018Identity(validate2018(fromFile, response2018)), "settings from a file");
            }
        } finally {
            Files.delete(file);
        }
    }

    // ------------------------------------------------------------ a generated DU: requests

    private static void testRequests() {
        Object k = Json.parse(Keys.generate("https://gmina.example.pl", "Gmina Example", null));
        check("CN=https://gmina.example.pl_sig_ec, O=Gmina Example, C=PL".equals(Json.str(k, "signing", "subject")), "generated subject");
        String settings = "{\"sp\": {\"entity_id\": \"https://gmina.example.pl\","
                + " \"acs_url\": \"https://gmina.example.pl/wk/acs\", \"provider_name\": \"Gmina Example\","
                + " \"signing_key\": " + Json.quote(Json.str(k, "signing", "key_pem"))
                + ", \"signing_cert\": " + Json.quote(Json.str(k, "signing", "certificate_pem"))
                + ", \"encryption_keys\": [" + Json.quote(Json.str(k, "encryption", "key_pem")) + "]"
                + ", \"encryption_certs\": [" + Json.quote(Json.str(k, "encryption", "certificate_pem")) + "]}, ";
        try (ServiceProvider sp = ServiceProvider.fromJson(settings + "\"idp\": {\"environment\": \"integration\"}}")) {
            AuthnRequestResult a = sp.authnRequestJson("{\"relay_state\": \"sesja-42\", \"loa\": \"high\", \"csp_nonce\": \"n0nce\"}");
            check(a.getId().startsWith("ID-") && "sesja-42".equals(a.getRelayState()) && a.getXml().contains("LoA/high")
                    && a.getHtmlForm().contains("n0nce"), "AuthnRequest: " + a.getJson());
            check("https://int.login.gov.pl/login/SingleSignOnService".equals(a.getDestination()), "AuthnRequest destination");
            check(sp.authnRequest().getRelayState() == null, "AuthnRequest with defaults");
            check(sp.authnRequest("s", "low").getXml().contains("LoA/low"), "AuthnRequest with a LoA");
            fails("config_invalid", () -> sp.authnRequest(null, "medium"), "AuthnRequest with a bad LoA");

            SoapRequest ar = sp.artifactResolveRequest(ARTIFACT);
            check("https://int.login.gov.pl/login-services/idpArtifactResolutionService".equals(ar.getUrl())
                    && ar.getSoap().contains(ARTIFACT), "ArtifactResolve");
            fails("invalid_input", () -> sp.artifactResolveRequest("not base64!"), "ArtifactResolve of garbage");

            SoapRequest lr = sp.logoutRequest("adminAll", "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150");
            check(lr.getSoap().contains("LogoutRequest") && !lr.getId().isEmpty(), "LogoutRequest");
            fails("invalid_input", () -> sp.logoutRequest("adminAll", null), "LogoutRequest without a session");
            String answer = "<saml2p:LogoutResponse xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\""
                    + " xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"ID-answer\" Version=\"2.0\""
                    + " IssueInstant=\"2026-01-01T00:00:00Z\" InResponseTo=\"" + lr.getId() + "\">"
                    + "<saml2:Issuer>int.login.gov.pl</saml2:Issuer><saml2p:Status><saml2p:StatusCode"
                    + " Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></saml2p:Status>"
                    + "</saml2p:LogoutResponse>";
            LogoutResult lo = sp.validateLogoutResponse(answer, lr.getId());
            check(lo.isComplete() && lr.getId().equals(lo.getInResponseTo()) && lo.getJson().contains("logout_response_unsigned"),
                    "LogoutResponse: " + lo.getJson());
            fails("in_response_to_mismatch", () -> sp.validateLogoutResponse(answer, "ID-other"), "LogoutResponse to another request");

            String md = sp.metadata();
            check(md.contains("<md:EntityDescriptor") && md.contains("entityID=\"https://gmina.example.pl\""), "metadata");
            EidplException e = fails("config_invalid", () -> validate2018(sp, response2018), "validation without pinned WK certificates");
            check(e != null && e.getDetailsJson().contains("idp.signing_certs"), "details name idp.signing_certs");
        }

        // The HTTP calls against a loopback port where nothing listens: a clean http_error.
        String http = settings + "\"idp\": {\"environment\": \"custom\", \"entity_id\": \"localhost.wk.gov.pl\","
                + " \"signing_certs\": [\"wk_sig_ec.pem\"], \"artifact_resolution_url\": \"http://127.0.0.1:9/ars\","
                + " \"slo_url\": \"http://127.0.0.1:9/slo\"}, \"http\": {\"timeout_seconds\": 5, \"connect_timeout_seconds\": 2}}";
        try (ServiceProvider sp = ServiceProvider.fromJson(http, base2018)) {
            EidplException e = fails("http_error", () -> sp.resolveArtifact(ARTIFACT, AUTHN_ID), "resolveArtifact");
            check(e != null && e.getDetailsJson().contains("\"reason\""), "http_error has a reason");
            fails("http_error", () -> sp.logout("adminAll", "_ID-1"), "logout");
        }
    }

    // ------------------------------------------------------------ documents

    private static void testDocuments() throws Exception {
        byte[] doc = Files.readAllBytes(fixtures.resolve("pz-document.xml"));
        byte[] forged = Files.readAllBytes(fixtures.resolve("pz-forged.xml"));
        String options = new String(Files.readAllBytes(fixtures.resolve("pz-options.json")), StandardCharsets.UTF_8);

        VerificationReport report = DocumentVerifier.verify(doc, options);
        check(report.isValid() && "valid".equals(report.getVerdict()), "the PZ document is valid: " + report.getVerdict());
        check("pz".equals(report.signatureKind(0)), "its signature is a PZ: " + report.signatureKind(0));
        check("TOTAL_PASSED".equals(Json.str(report.getParsed(), "signatures", "0", "indication")), "TOTAL_PASSED");
        check(report.getJson().contains("\"pesel\":\"87022243734\"") && report.getJson().contains("\"family_name\":\"Kowalski\""), "the signer");

        VerificationReport bad = DocumentVerifier.verify(forged, options);
        check("invalid".equals(bad.getVerdict()) && bad.getJson().contains("\"sub_indication\":\"HASH_FAILURE\""), "the forged PZ document is invalid");
        VerificationReport untrusted = DocumentVerifier.verify(doc);
        check("invalid".equals(untrusted.getVerdict()) && "untrusted_pz_claim".equals(untrusted.signatureKind(0)), "no trust anchor: untrusted PZ claim");

        fails("xml_malformed", () -> DocumentVerifier.verify(new byte[] {1, 2, 'g'}), "garbage document");
        anyError(() -> DocumentVerifier.verify(null), "null document");
        anyError(() -> DocumentVerifier.verify(new byte[0]), "empty document");
        fails("key_invalid", () -> DocumentVerifier.verify(doc, "{\"trust_anchors_pem\": \"not a certificate\"}"), "bad anchor");
        EidplException e = fails("config_invalid", () -> DocumentVerifier.verify(doc, "{\"trust_anchor_pem\": \"\"}"), "unknown option");
        check(e != null && e.getDetailsJson().contains("trust_anchor_pem"), "details name the unknown option");
    }

    // ------------------------------------------------------------ bad input

    private static void testBadInput(ServiceProvider sp2018) {
        // Settings: invalid UTF-8, null, empty, blank, unknown format, unknown key, missing files.
        byte[] notUtf8 = {'{', '"', 's', 'p', '"', ':', (byte) 0xff, (byte) 0xfe, '}'};
        EidplException e = fails("invalid_input", () -> ServiceProvider.fromSettings(notUtf8, SettingsFormat.AUTO, null), "settings not UTF-8");
        check(e != null && e.getDetailsJson().contains("\"argument\":\"settings\""), "details name the settings");
        fails("invalid_input", () -> ServiceProvider.fromSettings(null, SettingsFormat.AUTO, null), "null settings");
        fails("invalid_input", () -> ServiceProvider.fromSettings(new byte[0], SettingsFormat.AUTO, null), "empty settings");
        fails("invalid_input", () -> ServiceProvider.fromJson(" \n"), "blank settings");
        fails("invalid_input", () -> ServiceProvider.fromSettings(utf8(SETTINGS_2018), 7, null), "unknown format");
        fails("config_invalid", () -> ServiceProvider.fromToml(SETTINGS_2018, base2018), "JSON as TOML");
        e = fails("config_invalid", () -> ServiceProvider.fromJson("{\"sp\": {\"entity_idd\": \"x\"}, \"idp\": {}}"), "unknown settings key");
        check(e != null && e.getDetailsJson().contains("sp.entity_idd"), "details name sp.entity_idd");
        e = fails("config_invalid", () -> ServiceProvider.fromJson(SETTINGS_2018), "relative paths without a base directory");
        check(e != null && e.getDetailsJson().contains("du_enc_ec.p12"), "details name the missing file");
        try {
            ServiceProvider.fromFile(Paths.get("/nonexistent/eidpl.json")).close();
            check(false, "missing settings file: no exception");
        } catch (NoSuchFileException x) {
            check(true, "missing settings file");
        } catch (Exception x) {
            check(false, "missing settings file: " + x);
        }

        // Responses: null, empty, garbage, a DOCTYPE, 2 MB; expectations: unknown key, bad UTF-8,
        // missing, a bad time; nothing of it may burn the one-time IDs or crash.
        anyError(() -> sp2018.validateArtifactResponse((byte[]) null, AUTHN_ID, RESOLVE_ID, NOW_2018), "null response (empty)");
        anyError(() -> sp2018.validateArtifactResponse(new byte[0], AUTHN_ID, RESOLVE_ID, NOW_2018), "empty response");
        fails("xml_malformed", () -> sp2018.validateArtifactResponse("garbage", AUTHN_ID, RESOLVE_ID, NOW_2018), "garbage response");
        fails("doctype_forbidden", () -> sp2018.validateArtifactResponse("<!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>", AUTHN_ID, RESOLVE_ID, NOW_2018), "DOCTYPE");
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        System.arraycopy(response2018, 0, huge, 0, response2018.length);
        fails("limit_exceeded", () -> validate2018(sp2018, huge), "2 MB response");
        e = fails("config_invalid", () -> sp2018.validateArtifactResponseJson(response2018, utf8("{\"authn_request_idd\": \"ID-1\"}")), "unknown expectation");
        check(e != null && e.getDetailsJson().contains("authn_request_idd"), "details name authn_request_idd");
        fails("config_invalid", () -> sp2018.validateArtifactResponse(response2018, null, null, null), "no authn_request_id");
        fails("config_invalid", () -> sp2018.validateArtifactResponse(response2018, AUTHN_ID, null, "yesterday"), "bad time");
        fails("invalid_input", () -> sp2018.validateArtifactResponseJson(response2018, new byte[] {'{', '"', (byte) 0xc3, 0x28, '"', '}'}), "expectations not UTF-8");
        anyError(() -> sp2018.validateArtifactResponse("<x>\ud800</x>", AUTHN_ID, RESOLVE_ID, NOW_2018), "lone surrogate");

        // The SP has no signing key: requests are configuration errors naming it.
        e = fails("config_invalid", () -> sp2018.authnRequest(), "AuthnRequest without a signing key");
        check(e != null && e.getDetailsJson().contains("sp.signing_key"), "details name sp.signing_key");
        fails("config_invalid", () -> sp2018.metadata(), "metadata without certificates");

        // Still usable after all of that, and it remembers the real answer.
        fails("replay_detected", () -> validate2018(sp2018, response2018), "replay after bad input");

        // Use after close: IllegalStateException from every method; closing twice is fine.
        ServiceProvider sp = sp2018();
        sp.close();
        sp.close();
        closed(() -> validate2018(sp, response2018), "validate");
        closed(() -> sp.authnRequest(), "authn request");
        closed(() -> sp.artifactResolveRequest("AAQA"), "artifact resolve");
        closed(() -> sp.resolveArtifact("AAQA", "ID-1"), "resolve artifact");
        closed(() -> sp.logoutRequest("a", "b"), "logout request");
        closed(() -> sp.validateLogoutResponse("<x/>", "ID-1"), "logout response");
        closed(() -> sp.logout("a", "b"), "logout");
        closed(() -> sp.metadata(), "metadata");
    }

    // ------------------------------------------------------------ threads

    private static final int THREADS = 8;
    private static final String[] CITIZENS = {"Anna", "Jan", "Zofia", "Piotr", "Maria", "Tomasz", "Ewa", "Marek"};

    // attack: concurrency, replay
    private static void testThreads() throws Exception {
        String worldSettings = new String(Files.readAllBytes(fixtures.resolve("wk-settings.json")), StandardCharsets.UTF_8);
        byte[][] answers = new byte[THREADS][];
        byte[][] expected = new byte[THREADS][];
        for (int i = 0; i < THREADS; i++) {
            answers[i] = Files.readAllBytes(fixtures.resolve("wk-answer-" + i + ".xml"));
            expected[i] = Files.readAllBytes(fixtures.resolve("wk-expected-" + i + ".json"));
        }

        // Single-threaded first, on an SP of its own: the reference results.
        String[] reference = new String[THREADS];
        try (ServiceProvider sp = ServiceProvider.fromJson(worldSettings)) {
            for (int i = 0; i < THREADS; i++) {
                LoginResult r = sp.validateArtifactResponseJson(answers[i], expected[i]);
                check(CITIZENS[i].equals(r.getGivenName()) && ("obywatel-" + i).equals(r.getNameId()), "citizen " + i + ": " + r.getGivenName());
                reference[i] = r.getJson();
            }
        }

        // Then all eight at the same instant: the 2018 answer on one shared SP (exactly one wins,
        // the others see a replay), each its own answer on one shared world SP (identical to the
        // reference, then a replay), requests and metadata on it, and an SP of its own
        // validating the next thread's answer.
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger replays = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        try (ServiceProvider world = ServiceProvider.fromJson(worldSettings); ServiceProvider shared2018 = sp2018()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int i = t;
                futures.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    try {
                        check(is2018Identity(validate2018(shared2018, response2018)), "thread " + i + ": 2018 identity");
                        logins.incrementAndGet();
                    } catch (EidplException e) {
                        if (check("replay_detected".equals(e.getStableCode()), "thread " + i + ": " + e.getMessage())) {
                            replays.incrementAndGet();
                        }
                    }
                    check(world.validateArtifactResponseJson(answers[i], expected[i]).getJson().equals(reference[i]),
                            "thread " + i + ": same result as single-threaded");
                    fails("replay_detected", () -> world.validateArtifactResponseJson(answers[i], expected[i]), "thread " + i + ": replay");
                    check(world.authnRequest().getId().startsWith("ID-"), "thread " + i + ": AuthnRequest");
                    check(world.metadata().contains("EntityDescriptor"), "thread " + i + ": metadata");
                    int next = (i + 1) % THREADS;
                    try (ServiceProvider own = ServiceProvider.fromJson(worldSettings)) {
                        check(own.validateArtifactResponseJson(answers[next], expected[next]).getJson().equals(reference[next]),
                                "thread " + i + ": own SP");
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    check(false, "thread: " + e);
                }
            }
        } finally {
            pool.shutdown();
            check(pool.awaitTermination(30, TimeUnit.SECONDS), "the pool stops");
        }
        check(logins.get() == 1 && replays.get() == THREADS - 1,
                "exactly one thread logged in: " + logins.get() + " logins, " + replays.get() + " replays");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java pl.eidpl.tests.Tests INTEROP_DIR FIXTURE_DIR");
            System.exit(2);
        }
        Path interop = Paths.get(args[0]);
        fixtures = Paths.get(args[1]);
        base2018 = interop.resolve("wk-simulator-2018").toString();
        response2018 = Files.readAllBytes(interop.resolve("wk-simulator-2018").resolve("artifact-response.xml"));

        String version = Eidpl.version();
        check(version != null && version.contains("."), "version");
        System.out.println("libeidpl " + version + " from Java " + System.getProperty("java.version"));

        try (ServiceProvider sp = sp2018()) {
            test2018(sp);
            testRequests();
            testDocuments();
            testBadInput(sp);
        }
        testThreads();

        System.out.println(passed.get() + " passed, " + failed.get() + " failed");
        System.exit(failed.get() == 0 ? 0 : 1);
    }
}
