/*
 * The C ABI end to end: every exported function, the real 2018 WK login, forgery, replay, bad
 * input of every kind, and eight threads at once. Run by `make test-c`, plainly and under
 * valgrind (leaks and invalid accesses fail the run).
 *
 *   test_eidpl INTEROP_DIR FIXTURE_DIR
 *
 * INTEROP_DIR is ../shared/interop; FIXTURE_DIR holds what ffi/examples/c_fixtures.rs wrote.
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers under -std=c11 */

#include "eidpl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- checks */

static atomic_int passed, failed;

#define CHECK(cond) check((cond), __LINE__, #cond)

static int check(int ok, int line, const char *what) {
    if (ok) {
        atomic_fetch_add(&passed, 1);
    } else {
        atomic_fetch_add(&failed, 1);
        fprintf(stderr, "FAIL line %d: %s\n", line, what);
    }
    return ok;
}

/* The status, the error's number and its name agree; the message and details are present. */
#define CHECK_ERROR(status, err, expected_status, expected_name) \
    check_error((status), (err), (expected_status), (expected_name), __LINE__)

static void check_error(int32_t status, eidpl_error *err, int32_t expected_status,
                        const char *expected_name, int line) {
    char what[160];
    snprintf(what, sizeof what, "status %d is %d (%s)", status, expected_status, expected_name);
    check(status == expected_status, line, what);
    if (!check(err != NULL, line, "an error object is returned")) {
        return;
    }
    check(eidpl_error_code(err) == status, line, "eidpl_error_code equals the status");
    snprintf(what, sizeof what, "code name `%s` is `%s`", eidpl_error_code_name(err), expected_name);
    check(strcmp(eidpl_error_code_name(err), expected_name) == 0, line, what);
    check(strlen(eidpl_error_message(err)) > 0, line, "the message is not empty");
    check(eidpl_error_details_json(err)[0] == '{', line, "details are a JSON object");
    if (status != expected_status) {
        fprintf(stderr, "  got %s: %s %s\n", eidpl_error_code_name(err), eidpl_error_message(err),
                eidpl_error_details_json(err));
    }
}

static int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* Reports an unexpected failure of a call that should succeed. */
static int ok_call(int32_t status, eidpl_error *err, int line) {
    if (status != EIDPL_OK) {
        fprintf(stderr, "FAIL line %d: status %d %s: %s %s\n", line, status,
                eidpl_error_code_name(err), eidpl_error_message(err), eidpl_error_details_json(err));
    }
    return check(status == EIDPL_OK && err == NULL, line, "the call succeeds");
}
#define OK_CALL(status, err) ok_call((status), (err), __LINE__)

/* ---------------------------------------------------------------- helpers */

static const uint8_t *u8(const char *s) { return (const uint8_t *)s; }

static char *read_file(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    data[size] = '\0';
    *len = (size_t)size;
    return data;
}

/* A copy of the JSON string value of the first `"key":"…"` at or after `from`, still escaped
 * (so it can be pasted into another JSON document as is). Caller frees. */
static char *json_raw_string(const char *from, const char *key) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = from ? strstr(from, pattern) : NULL;
    if (start == NULL) {
        return NULL;
    }
    start += strlen(pattern);
    const char *end = start;
    while (*end != '\0' && *end != '"') {
        end += (*end == '\\' && end[1] != '\0') ? 2 : 1;
    }
    char *copy = malloc((size_t)(end - start) + 1);
    memcpy(copy, start, (size_t)(end - start));
    copy[end - start] = '\0';
    return copy;
}

/* ---------------------------------------------------------------- the 2018 WK login */

static const char *interop_dir, *fixture_dir;
static char *response_2018;
static size_t response_2018_len;
static char base_dir_2018[4096];

static const char SETTINGS_2018[] =
    "{\"sp\": {\"entity_id\": \"http://localhost.sp.pl\","
    " \"acs_url\": \"http://localhost:11080/saml-emulator/context\","
    " \"encryption_keys\": [{\"path\": \"du_enc_ec.p12\", \"password\": \"12345\"}]},"
    " \"idp\": {\"environment\": \"simulator\", \"signing_certs\": [\"wk_sig_ec.pem\"]}}";

static const char SETTINGS_2018_TOML[] =
    "[sp]\n"
    "entity_id = \"http://localhost.sp.pl\"\n"
    "acs_url = \"http://localhost:11080/saml-emulator/context\"\n"
    "encryption_keys = [{ path = \"du_enc_ec.p12\", password = \"12345\" }]\n"
    "[idp]\n"
    "environment = \"simulator\"\n"
    "signing_certs = [\"wk_sig_ec.pem\"]\n";

static const char EXPECTED_2018[] =
    "{\"authn_request_id\": \"ID-d136a4ee-a3a3-4392-a055-2e95d44165bc\","
    " \"artifact_resolve_id\": \"ID-09a2e477-dd85-4ce2-9420-0d9cc27244df\","
    " \"now\": \"2018-09-13T13:20:00Z\"}";

/* A service provider for the 2018 message: relative paths resolve against base_dir. */
static eidpl_wk_sp *sp_2018(const char *settings, int32_t format) {
    eidpl_wk_sp *sp = NULL;
    eidpl_error *err = NULL;
    int32_t status = eidpl_wk_sp_new(u8(settings), strlen(settings), format, u8(base_dir_2018),
                                     strlen(base_dir_2018), &sp, &err);
    OK_CALL(status, err);
    eidpl_error_free(err);
    return sp;
}

static int32_t validate(const eidpl_wk_sp *sp, const char *response, size_t len, char **out,
                        eidpl_error **err) {
    return eidpl_wk_validate_artifact_response(sp, u8(response), len, u8(EXPECTED_2018),
                                               strlen(EXPECTED_2018), out, err);
}

static int is_the_2018_identity(const char *json) {
    return contains(json, "\"name_id\":\"adminAll\"") &&
           contains(json, "\"pesel\":\"87022243734\"") &&
           contains(json, "\"given_name\":\"Roch\"") &&
           contains(json, "\"family_name\":\"Apitz\"") && contains(json, "\"loa\":\"substantial\"");
}

/* The SP of the 2018 login, made once (loading its PKCS#12 key is deliberately slow). */
static eidpl_wk_sp *sp2018;

/* Forgeries and bad answers first: none of them may burn the one-time IDs of the real one. */
/* attack: xxe */
static void test_wk_2018_forgeries(void) {
    /* One byte of a name changed: WK's issuer name in the signed ArtifactResponse. */
    char *forged = malloc(response_2018_len);
    memcpy(forged, response_2018, response_2018_len);
    char *issuer = strstr(forged, "<saml2:Issuer>localhost.wk.gov.pl<");
    CHECK(issuer != NULL);
    if (issuer != NULL) {
        issuer[strlen("<saml2:Issuer>localhost.wk.gov.p")] = 'k';
    }
    char *out = NULL;
    eidpl_error *err = NULL;
    int32_t status = validate(sp2018, forged, response_2018_len, &out, &err);
    CHECK_ERROR(status, err, EIDPL_DIGEST_MISMATCH, "digest_mismatch");
    CHECK(out == NULL);
    eidpl_error_free(err);
    free(forged);

    /* Too late for the assertion. */
    const char late[] = "{\"authn_request_id\": \"ID-d136a4ee-a3a3-4392-a055-2e95d44165bc\","
                        " \"artifact_resolve_id\": \"ID-09a2e477-dd85-4ce2-9420-0d9cc27244df\","
                        " \"now\": \"2018-09-13T15:00:00Z\"}";
    status = eidpl_wk_validate_artifact_response(sp2018, u8(response_2018), response_2018_len,
                                                 u8(late), strlen(late), &out, &err);
    CHECK_ERROR(status, err, EIDPL_EXPIRED, "expired");
    eidpl_error_free(err);

    /* Not our ArtifactResolve. */
    const char other[] = "{\"authn_request_id\": \"ID-d136a4ee-a3a3-4392-a055-2e95d44165bc\","
                         " \"artifact_resolve_id\": \"ID-other\", \"now\": \"2018-09-13T13:20:00Z\"}";
    status = eidpl_wk_validate_artifact_response(sp2018, u8(response_2018), response_2018_len,
                                                 u8(other), strlen(other), &out, &err);
    CHECK_ERROR(status, err, EIDPL_IN_RESPONSE_TO_MISMATCH, "in_response_to_mismatch");
    CHECK(contains(eidpl_error_details_json(err), "\"expected\":\"ID-other\""));
    eidpl_error_free(err);

    /* A response over the 1 MiB SAML limit: refused before parsing. */
    size_t huge_len = 2 * 1024 * 1024;
    char *huge = malloc(huge_len);
    memset(huge, ' ', huge_len);
    memcpy(huge, response_2018, response_2018_len);
    status = validate(sp2018, huge, huge_len, &out, &err);
    CHECK_ERROR(status, err, EIDPL_LIMIT_EXCEEDED, "limit_exceeded");
    eidpl_error_free(err);
    free(huge);

    /* Not XML at all; a DOCTYPE (never processed). */
    status = validate(sp2018, "garbage", 7, &out, &err);
    CHECK_ERROR(status, err, EIDPL_XML_MALFORMED, "xml_malformed");
    eidpl_error_free(err);
    const char doctype[] = "<!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>";
    status = validate(sp2018, doctype, strlen(doctype), &out, &err);
    CHECK_ERROR(status, err, EIDPL_DOCTYPE_FORBIDDEN, "doctype_forbidden");
    eidpl_error_free(err);
}

static void test_wk_2018_login(void) {
    char *out = NULL;
    eidpl_error *err = NULL;
    int32_t status = validate(sp2018, response_2018, response_2018_len, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(is_the_2018_identity(out));
        CHECK(contains(out, "\"session_index\":\"_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150\""));
    }
    eidpl_string_free(out);

    /* The same answer again: the SP remembers the assertion. *out is NULL after a failure. */
    out = (char *)"not touched";
    status = validate(sp2018, response_2018, response_2018_len, &out, &err);
    CHECK_ERROR(status, err, EIDPL_REPLAY_DETECTED, "replay_detected");
    CHECK(out == NULL);
    CHECK(contains(eidpl_error_details_json(err), "\"id\""));
    eidpl_error_free(err);

    /* The same settings as TOML (recognised automatically): a new SP, a new replay cache. */
    eidpl_wk_sp *toml = sp_2018(SETTINGS_2018_TOML, EIDPL_SETTINGS_AUTO);
    status = validate(toml, response_2018, response_2018_len, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(is_the_2018_identity(out));
    }
    eidpl_string_free(out);
    eidpl_wk_sp_free(toml);
}

/* ---------------------------------------------------------------- keys, requests, metadata */

/* DUs built from eidpl_keys_generate (inline PEMs): for WK integration, and for a WK whose
 * back channel is a loopback port where nothing listens. */
static char *generated_settings, *http_settings;

static char *du_settings(const char *keys[4], const char *idp) {
    const char *format =
        "{\"sp\": {\"entity_id\": \"https://gmina.example.pl\","
        " \"acs_url\": \"https://gmina.example.pl/wk/acs\", \"provider_name\": \"Gmina Example\","
        " \"signing_key\": \"%s\", \"signing_cert\": \"%s\","
        " \"encryption_keys\": [\"%s\"], \"encryption_certs\": [\"%s\"]}, %s}";
    size_t size = strlen(format) + strlen(idp) + 1;
    for (int i = 0; i < 4; i++) {
        size += strlen(keys[i]);
    }
    char *settings = malloc(size);
    snprintf(settings, size, format, keys[0], keys[1], keys[2], keys[3], idp);
    return settings;
}

static void test_keys_generate(void) {
    const char options[] =
        "{\"entity_id\": \"https://gmina.example.pl\", \"organization\": \"Gmina Example\"}";
    char *out = NULL;
    eidpl_error *err = NULL;
    int32_t status = eidpl_keys_generate(u8(options), strlen(options), &out, &err);
    if (!OK_CALL(status, err)) {
        exit(1);
    }
    CHECK(contains(out, "\"subject\":\"CN=https://gmina.example.pl_sig_ec, O=Gmina Example, C=PL\""));
    CHECK(contains(out, "BEGIN CERTIFICATE REQUEST"));
    CHECK(contains(out, "BEGIN PRIVATE KEY"));
    const char *signing = strstr(out, "\"signing\":");
    const char *encryption = strstr(out, "\"encryption\":");
    char *sig_key = json_raw_string(signing, "key_pem");
    char *sig_cert = json_raw_string(signing, "certificate_pem");
    char *enc_key = json_raw_string(encryption, "key_pem");
    char *enc_cert = json_raw_string(encryption, "certificate_pem");
    CHECK(sig_key && sig_cert && enc_key && enc_cert);
    if (!(sig_key && sig_cert && enc_key && enc_cert)) {
        exit(1);
    }
    const char *keys[4] = {sig_key, sig_cert, enc_key, enc_cert};
    generated_settings = du_settings(keys, "\"idp\": {\"environment\": \"integration\"}");
    http_settings = du_settings(
        keys, "\"idp\": {\"environment\": \"custom\", \"entity_id\": \"localhost.wk.gov.pl\","
              " \"signing_certs\": [\"wk_sig_ec.pem\"],"
              " \"artifact_resolution_url\": \"http://127.0.0.1:9/ars\","
              " \"slo_url\": \"http://127.0.0.1:9/slo\"},"
              " \"http\": {\"timeout_seconds\": 5, \"connect_timeout_seconds\": 2}");
    free(sig_key);
    free(sig_cert);
    free(enc_key);
    free(enc_cert);
    eidpl_string_free(out);
}

static eidpl_wk_sp *generated_sp(void) {
    eidpl_wk_sp *sp = NULL;
    eidpl_error *err = NULL;
    int32_t status = eidpl_wk_sp_new(u8(generated_settings), strlen(generated_settings),
                                     EIDPL_SETTINGS_AUTO, NULL, 0, &sp, &err);
    OK_CALL(status, err);
    eidpl_error_free(err);
    return sp;
}

static void test_requests_and_metadata(void) {
    eidpl_wk_sp *sp = generated_sp();
    char *out = NULL;
    eidpl_error *err = NULL;

    /* AuthnRequest with defaults (empty options) and with every option. */
    int32_t status = eidpl_wk_authn_request(sp, NULL, 0, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"id\":\"ID-"));
        CHECK(contains(out, "\"destination\":\"https://int.login.gov.pl/login/SingleSignOnService\""));
        CHECK(contains(out, "\"saml_request\":\""));
        CHECK(contains(out, "LoA/substantial"));
        CHECK(contains(out, "\"relay_state\":null"));
    }
    eidpl_string_free(out);
    const char options[] = "{\"relay_state\": \"sesja-42\", \"loa\": \"high\", \"csp_nonce\": \"n0nce\"}";
    status = eidpl_wk_authn_request(sp, u8(options), strlen(options), &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"relay_state\":\"sesja-42\""));
        CHECK(contains(out, "LoA/high"));
        CHECK(contains(out, "n0nce"));
        CHECK(contains(out, "<form method=\\\"post\\\""));
    }
    eidpl_string_free(out);

    /* ArtifactResolve and LogoutRequest for hosts with their own HTTP. */
    const char artifact[] = "AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=";
    status = eidpl_wk_artifact_resolve_request(sp, u8(artifact), strlen(artifact), &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"url\":\"https://int.login.gov.pl/login-services/idpArtifactResolutionService\""));
        CHECK(contains(out, artifact));
        CHECK(contains(out, "\"soap\":\"<"));
    }
    eidpl_string_free(out);
    status = eidpl_wk_artifact_resolve_request(sp, u8("not base64!"), 11, &out, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);

    const char name_id[] = "adminAll", session[] = "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150";
    status = eidpl_wk_logout_request(sp, u8(name_id), strlen(name_id), u8(session),
                                     strlen(session), &out, &err);
    char *logout_id = NULL;
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"url\":\"https://int.login.gov.pl/login-services/singleLogoutService\""));
        CHECK(contains(out, "LogoutRequest"));
        logout_id = json_raw_string(out, "id");
    }
    eidpl_string_free(out);
    status = eidpl_wk_logout_request(sp, u8(name_id), strlen(name_id), NULL, 0, &out, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);

    /* WK's LogoutResponse to it (unsigned: accepted with a warning, on the TLS back channel). */
    if (CHECK(logout_id != NULL)) {
        char answer[1024];
        const char *template =
            "<saml2p:LogoutResponse xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\""
            " xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"ID-answer\" Version=\"2.0\""
            " IssueInstant=\"2026-01-01T00:00:00Z\" InResponseTo=\"%s\">"
            "<saml2:Issuer>int.login.gov.pl</saml2:Issuer><saml2p:Status><saml2p:StatusCode"
            " Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></saml2p:Status>"
            "</saml2p:LogoutResponse>";
        snprintf(answer, sizeof answer, template, logout_id);
        status = eidpl_wk_validate_logout_response(sp, u8(answer), strlen(answer), u8(logout_id),
                                                   strlen(logout_id), &out, &err);
        if (OK_CALL(status, err)) {
            CHECK(contains(out, "\"complete\":true"));
            CHECK(contains(out, "logout_response_unsigned"));
        }
        eidpl_string_free(out);
        status = eidpl_wk_validate_logout_response(sp, u8(answer), strlen(answer), u8("ID-other"),
                                                   8, &out, &err);
        CHECK_ERROR(status, err, EIDPL_IN_RESPONSE_TO_MISMATCH, "in_response_to_mismatch");
        eidpl_error_free(err);
    }
    free(logout_id);

    /* Metadata for COI. */
    status = eidpl_wk_metadata(sp, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "<md:EntityDescriptor"));
        CHECK(contains(out, "entityID=\"https://gmina.example.pl\""));
        CHECK(contains(out, "use=\"encryption\""));
    }
    eidpl_string_free(out);

    /* Validation needs pinned WK certificates: a configuration error, not a silent pass. */
    status = validate(sp, response_2018, response_2018_len, &out, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    CHECK(contains(eidpl_error_details_json(err), "idp.signing_certs"));
    eidpl_error_free(err);
    eidpl_wk_sp_free(sp);

    /* The 2018 SP has no signing key: requests are a configuration error naming it. */
    status = eidpl_wk_authn_request(sp2018, NULL, 0, &out, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    CHECK(contains(eidpl_error_details_json(err), "sp.signing_key"));
    eidpl_error_free(err);
    status = eidpl_wk_metadata(sp2018, &out, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    eidpl_error_free(err);
}

/* The HTTP calls, against a loopback port where nothing listens: a clean `http_error`. */
static void test_http_calls(void) {
    eidpl_wk_sp *sp = NULL;
    eidpl_error *err = NULL;
    int32_t status = eidpl_wk_sp_new(u8(http_settings), strlen(http_settings), EIDPL_SETTINGS_JSON,
                                     u8(base_dir_2018), strlen(base_dir_2018), &sp, &err);
    if (!OK_CALL(status, err)) {
        eidpl_error_free(err);
        return;
    }
    char *out = NULL;
    const char artifact[] = "AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=";
    const char request_id[] = "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc";
    status = eidpl_wk_resolve_artifact(sp, u8(artifact), strlen(artifact), u8(request_id),
                                       strlen(request_id), &out, &err);
    CHECK_ERROR(status, err, EIDPL_HTTP_ERROR, "http_error");
    CHECK(contains(eidpl_error_details_json(err), "\"reason\""));
    CHECK(out == NULL);
    eidpl_error_free(err);
    status = eidpl_wk_resolve_artifact(sp, u8(artifact), strlen(artifact), NULL, 0, &out, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    status = eidpl_wk_logout(sp, u8("adminAll"), 8, u8("_ID-1"), 5, &out, &err);
    CHECK_ERROR(status, err, EIDPL_HTTP_ERROR, "http_error");
    eidpl_error_free(err);
    eidpl_wk_sp_free(sp);
}

/* ---------------------------------------------------------------- documents */

static void test_verify_document(void) {
    size_t doc_len, forged_len, options_len;
    char *doc = read_file(fixture_dir, "pz-document.xml", &doc_len);
    char *forged = read_file(fixture_dir, "pz-forged.xml", &forged_len);
    char *options = read_file(fixture_dir, "pz-options.json", &options_len);
    char *out = NULL;
    eidpl_error *err = NULL;

    int32_t status = eidpl_verify_document(u8(doc), doc_len, u8(options), options_len, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"verdict\":\"valid\""));
        CHECK(contains(out, "\"kind\":\"pz\""));
        CHECK(contains(out, "\"indication\":\"TOTAL_PASSED\""));
        CHECK(contains(out, "\"pesel\":\"87022243734\""));
        CHECK(contains(out, "\"family_name\":\"Kowalski\""));
    }
    eidpl_string_free(out);

    /* Content changed after signing: a report (status 0) whose verdict is invalid. */
    status = eidpl_verify_document(u8(forged), forged_len, u8(options), options_len, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"verdict\":\"invalid\""));
        CHECK(contains(out, "\"sub_indication\":\"HASH_FAILURE\""));
    }
    eidpl_string_free(out);

    /* No trust anchor: never valid; a PZ block under an unproven key is a false claim. */
    status = eidpl_verify_document(u8(doc), doc_len, NULL, 0, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"verdict\":\"invalid\""));
        CHECK(contains(out, "\"kind\":\"untrusted_pz_claim\""));
    }
    eidpl_string_free(out);

    /* Garbage: an error, no report. */
    status = eidpl_verify_document(u8("\x01\x02garbage"), 9, NULL, 0, &out, &err);
    CHECK_ERROR(status, err, EIDPL_XML_MALFORMED, "xml_malformed");
    CHECK(out == NULL);
    eidpl_error_free(err);
    status = eidpl_verify_document(NULL, 0, NULL, 0, &out, &err);
    CHECK(status != EIDPL_OK && err != NULL);
    eidpl_error_free(err);

    /* Options: a bad anchor, wrong types, unknown keys, bad base64, bad time. */
    struct {
        const char *options;
        int32_t status;
        const char *name, *detail;
    } cases[] = {
        {"{\"trust_anchors_pem\": \"not a certificate\"}", EIDPL_KEY_INVALID, "key_invalid", ""},
        {"{\"trust_anchors_pem\": 42}", EIDPL_CONFIG_INVALID, "config_invalid", "trust_anchors_pem"},
        {"{\"check_pesel\": \"yes\"}", EIDPL_CONFIG_INVALID, "config_invalid", "check_pesel"},
        {"{\"trust_anchor_pem\": \"\"}", EIDPL_CONFIG_INVALID, "config_invalid", "trust_anchor_pem"},
        {"{\"detached\": {\"uri\": \"a\"}}", EIDPL_CONFIG_INVALID, "config_invalid", "detached"},
        {"{\"detached\": [{\"uri\": \"a\", \"base64\": \"%%%\"}]}", EIDPL_CONFIG_INVALID,
         "config_invalid", "detached[0].base64"},
        {"{\"detached\": [{\"uri\": \"a\", \"data\": \"\"}]}", EIDPL_CONFIG_INVALID,
         "config_invalid", "detached[0].data"},
        {"{\"now\": \"yesterday\"}", EIDPL_CONFIG_INVALID, "config_invalid", "now"},
        {"[]", EIDPL_CONFIG_INVALID, "config_invalid", ""},
        {"{", EIDPL_CONFIG_INVALID, "config_invalid", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        status = eidpl_verify_document(u8(doc), doc_len, u8(cases[i].options),
                                       strlen(cases[i].options), &out, &err);
        CHECK_ERROR(status, err, cases[i].status, cases[i].name);
        CHECK(contains(eidpl_error_details_json(err), cases[i].detail));
        eidpl_error_free(err);
    }
    /* A detached data file that the document does not reference is accepted as an option. */
    const char detached[] = "{\"detached\": [{\"uri\": \"zalacznik.pdf\", \"base64\": \"JVBERi0=\"}],"
                            " \"check_pesel\": false}";
    status = eidpl_verify_document(u8(doc), doc_len, u8(detached), strlen(detached), &out, &err);
    OK_CALL(status, err);
    eidpl_string_free(out);
    free(doc);
    free(forged);
    free(options);
}

/* ---------------------------------------------------------------- bad input */

static void test_bad_input(void) {
    eidpl_wk_sp *sp = NULL;
    eidpl_error *err = NULL;
    char *out = NULL;
    int32_t status;

    /* Settings: invalid UTF-8, empty, NULL with a length, unknown format, unknown key. */
    const char not_utf8[] = "{\"sp\": {\"entity_id\": \"\xff\xfe\"}}";
    status = eidpl_wk_sp_new(u8(not_utf8), strlen(not_utf8), 0, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    CHECK(contains(eidpl_error_details_json(err), "\"argument\":\"settings\""));
    CHECK(sp == NULL);
    eidpl_error_free(err);
    status = eidpl_wk_sp_new(NULL, 0, 0, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    status = eidpl_wk_sp_new(u8(" \n"), 2, 0, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    status = eidpl_wk_sp_new(NULL, 10, 0, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    status = eidpl_wk_sp_new(u8(SETTINGS_2018), strlen(SETTINGS_2018), 7, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    CHECK(contains(eidpl_error_details_json(err), "format"));
    eidpl_error_free(err);
    status = eidpl_wk_sp_new(u8(SETTINGS_2018), strlen(SETTINGS_2018), EIDPL_SETTINGS_TOML, NULL,
                             0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    eidpl_error_free(err);
    const char typo[] = "{\"sp\": {\"entity_idd\": \"x\"}, \"idp\": {}}";
    status = eidpl_wk_sp_new(u8(typo), strlen(typo), 0, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    CHECK(contains(eidpl_error_details_json(err), "sp.entity_idd"));
    eidpl_error_free(err);
    /* A PKCS#12 key without its password: the error names the setting. */
    const char p12[] = "{\"sp\": {\"entity_id\": \"http://localhost.sp.pl\","
                       " \"acs_url\": \"http://localhost:11080/saml-emulator/context\","
                       " \"encryption_keys\": [\"du_enc_ec.p12\"]},"
                       " \"idp\": {\"environment\": \"simulator\", \"signing_certs\": [\"wk_sig_ec.pem\"]}}";
    status = eidpl_wk_sp_new(u8(p12), strlen(p12), EIDPL_SETTINGS_JSON, u8(base_dir_2018),
                             strlen(base_dir_2018), &sp, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    CHECK(contains(eidpl_error_details_json(err), "sp.encryption_keys[0]"));
    CHECK(sp == NULL);
    eidpl_error_free(err);
    /* Relative paths without the right base directory: the file is not found, and named. */
    status = eidpl_wk_sp_new(u8(SETTINGS_2018), strlen(SETTINGS_2018), 0, NULL, 0, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
    CHECK(contains(eidpl_error_details_json(err), "du_enc_ec.p12"));
    eidpl_error_free(err);
    status = eidpl_wk_sp_new(u8(SETTINGS_2018), strlen(SETTINGS_2018), 0, u8("\xc3"), 1, &sp, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);

    /* NULL out-parameters and a NULL err: a status, never a crash. */
    status = eidpl_wk_sp_new(u8(SETTINGS_2018), strlen(SETTINGS_2018), 0, NULL, 0, NULL, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    CHECK(eidpl_wk_sp_new(NULL, 0, 0, NULL, 0, &sp, NULL) == EIDPL_INVALID_INPUT);
    CHECK(eidpl_keys_generate(NULL, 0, NULL, NULL) == EIDPL_INVALID_INPUT);
    CHECK(eidpl_verify_document(u8("<a/>"), 4, NULL, 0, NULL, NULL) == EIDPL_INVALID_INPUT);

    /* A NULL handle in every call that takes one. */
    const uint8_t *x = u8("x");
    int32_t statuses[] = {
        eidpl_wk_authn_request(NULL, NULL, 0, &out, NULL),
        eidpl_wk_artifact_resolve_request(NULL, x, 1, &out, NULL),
        eidpl_wk_resolve_artifact(NULL, x, 1, x, 1, &out, NULL),
        eidpl_wk_validate_artifact_response(NULL, x, 1, x, 1, &out, NULL),
        eidpl_wk_logout_request(NULL, x, 1, x, 1, &out, NULL),
        eidpl_wk_validate_logout_response(NULL, x, 1, x, 1, &out, NULL),
        eidpl_wk_logout(NULL, x, 1, x, 1, &out, NULL),
        eidpl_wk_metadata(NULL, &out, NULL),
    };
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        CHECK(statuses[i] == EIDPL_INVALID_INPUT);
    }
    CHECK(out == NULL);

    /* A live handle with NULL out-parameters and NULL buffers with a length. */
    sp = sp2018;
    status = eidpl_wk_metadata(sp, NULL, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    CHECK(contains(eidpl_error_details_json(err), "out_xml"));
    eidpl_error_free(err);
    status = validate(sp, response_2018, response_2018_len, NULL, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    status = validate(sp, NULL, 5, &out, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    status = validate(sp, NULL, 0, &out, &err);
    CHECK(status != EIDPL_OK && err != NULL); /* an empty response */
    eidpl_error_free(err);

    /* Expected: wrong types, unknown keys, missing keys, bad values, not JSON. */
    struct {
        const char *expected, *detail;
    } cases[] = {
        {"{\"authn_request_id\": 5}", "authn_request_id"},
        {"{\"authn_request_idd\": \"ID-1\"}", "authn_request_idd"},
        {"{}", "authn_request_id"},
        {"", "authn_request_id"},
        {"{\"authn_request_id\": \"ID-1\", \"now\": 1536844800}", "now"},
        {"{\"authn_request_id\": \"ID-1\", \"minimum_loa\": \"medium\"}", "minimum_loa"},
        {"{\"authn_request_id\": [\"ID-1\"]}", "authn_request_id"},
        {"\"ID-1\"", "expected_json"},
        {"{\"authn_request_id\": \"ID-1\",}", "expected_json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        status = eidpl_wk_validate_artifact_response(sp, u8(response_2018), response_2018_len,
                                                     u8(cases[i].expected),
                                                     strlen(cases[i].expected), &out, &err);
        CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
        CHECK(contains(eidpl_error_details_json(err), cases[i].detail));
        eidpl_error_free(err);
    }
    const char bad_utf8[] = "{\"authn_request_id\": \"\xc3\x28\"}";
    status = eidpl_wk_validate_artifact_response(sp, u8(response_2018), response_2018_len,
                                                 u8(bad_utf8), strlen(bad_utf8), &out, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);

    /* Authn options and key options: wrong types and unknown keys. */
    const char *authn_cases[] = {"{\"loa\": \"medium\"}", "{\"relay_state\": 42}",
                                 "{\"relaystate\": \"x\"}", "{\"csp_nonce\": true}"};
    for (size_t i = 0; i < sizeof authn_cases / sizeof authn_cases[0]; i++) {
        status = eidpl_wk_authn_request(sp, u8(authn_cases[i]), strlen(authn_cases[i]), &out, &err);
        CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
        eidpl_error_free(err);
    }
    const char *key_cases[] = {"{\"entity_id\": []}", "{}", "{\"entity\": \"x\"}",
                               "{\"entity_id\": \"x\", \"country\": \"POL\"}"};
    for (size_t i = 0; i < sizeof key_cases / sizeof key_cases[0]; i++) {
        status = eidpl_keys_generate(u8(key_cases[i]), strlen(key_cases[i]), &out, &err);
        CHECK_ERROR(status, err, EIDPL_CONFIG_INVALID, "config_invalid");
        eidpl_error_free(err);
    }

    /* A pointer of the wrong kind is refused, not used: an error object passed as a handle. */
    status = eidpl_wk_metadata(sp, NULL, &err);
    eidpl_error *wrong = err;
    status = eidpl_wk_metadata((const eidpl_wk_sp *)wrong, &out, &err);
    CHECK_ERROR(status, err, EIDPL_INVALID_INPUT, "invalid_input");
    eidpl_error_free(err);
    eidpl_wk_sp_free((eidpl_wk_sp *)wrong); /* ignored: not a service provider */
    CHECK(strcmp(eidpl_error_code_name(wrong), "invalid_input") == 0);
    eidpl_error_free(wrong);
    CHECK(eidpl_error_code((const eidpl_error *)sp) == EIDPL_OK);
    CHECK(strcmp(eidpl_error_message((const eidpl_error *)sp), "") == 0);
    eidpl_error_free((eidpl_error *)sp); /* ignored: not an error */

    /* The handle still works after all of that: it verifies the whole answer, and remembers
     * it was used. */
    status = validate(sp, response_2018, response_2018_len, &out, &err);
    CHECK_ERROR(status, err, EIDPL_REPLAY_DETECTED, "replay_detected");
    eidpl_error_free(err);

    /* NULL everywhere a free or accessor takes a pointer. */
    eidpl_wk_sp_free(NULL);
    eidpl_error_free(NULL);
    eidpl_string_free(NULL);
    CHECK(eidpl_error_code(NULL) == EIDPL_OK);
    CHECK(strcmp(eidpl_error_code_name(NULL), "") == 0);
    CHECK(strcmp(eidpl_error_message(NULL), "") == 0);
    CHECK(strcmp(eidpl_error_details_json(NULL), "") == 0);
}

/* ---------------------------------------------------------------- threads */

#define THREADS 8

/* The generated WK world (ffi/examples/c_fixtures.rs): one answer per thread, each for another
 * citizen, in the fixture's order. */
static const char *CITIZENS[THREADS] = {"Anna", "Jan", "Zofia", "Piotr",
                                        "Maria", "Tomasz", "Ewa", "Marek"};
static char *world_settings, *world_answer[THREADS], *world_expected[THREADS];
static size_t world_answer_len[THREADS];

static eidpl_wk_sp *shared_world, *shared_2018;
static pthread_barrier_t start_together;
static atomic_int race_logins, race_replays;

static eidpl_wk_sp *world_sp(void) {
    eidpl_wk_sp *sp = NULL;
    eidpl_error *err = NULL;
    OK_CALL(eidpl_wk_sp_new(u8(world_settings), strlen(world_settings), EIDPL_SETTINGS_JSON, NULL,
                            0, &sp, &err),
            err);
    eidpl_error_free(err);
    return sp;
}

/* Validates thread i's answer on `sp`, and checks the identity is thread i's citizen. */
static int32_t validate_own(const eidpl_wk_sp *sp, int i) {
    char *out = NULL;
    eidpl_error *err = NULL;
    int32_t status = eidpl_wk_validate_artifact_response(
        sp, u8(world_answer[i]), world_answer_len[i], u8(world_expected[i]),
        strlen(world_expected[i]), &out, &err);
    if (status == EIDPL_OK) {
        char name[64], name_id[64];
        snprintf(name, sizeof name, "\"given_name\":\"%s\"", CITIZENS[i]);
        snprintf(name_id, sizeof name_id, "\"name_id\":\"obywatel-%d\"", i);
        CHECK(contains(out, name) && contains(out, name_id));
    }
    eidpl_string_free(out);
    eidpl_error_free(err);
    return status;
}

/* Every thread at the same instant: validates the 2018 answer on one shared SP (exactly one
 * thread may win, the others see a replay), its own answer on the one shared world SP (each
 * gets its own citizen, then a replay), builds requests and metadata on that shared SP, and
 * makes, uses and frees an SP of its own. */
static void *worker(void *arg) {
    int i = (int)(intptr_t)arg;
    char *out = NULL;
    eidpl_error *err = NULL;
    pthread_barrier_wait(&start_together);

    int32_t status = validate(shared_2018, response_2018, response_2018_len, &out, &err);
    if (status == EIDPL_OK) {
        CHECK(is_the_2018_identity(out));
        atomic_fetch_add(&race_logins, 1);
    } else if (status == EIDPL_REPLAY_DETECTED) {
        atomic_fetch_add(&race_replays, 1);
    } else {
        OK_CALL(status, err);
    }
    eidpl_string_free(out);
    eidpl_error_free(err);
    err = NULL;

    CHECK(validate_own(shared_world, i) == EIDPL_OK);
    CHECK(validate_own(shared_world, i) == EIDPL_REPLAY_DETECTED);

    status = eidpl_wk_authn_request(shared_world, NULL, 0, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "\"id\":\"ID-"));
    }
    eidpl_string_free(out);
    status = eidpl_wk_metadata(shared_world, &out, &err);
    if (OK_CALL(status, err)) {
        CHECK(contains(out, "EntityDescriptor"));
    }
    eidpl_string_free(out);

    eidpl_wk_sp *own = world_sp();
    CHECK(validate_own(own, (i + 1) % THREADS) == EIDPL_OK);
    eidpl_wk_sp_free(own);
    return NULL;
}

/* attack: concurrency, replay */
static void test_threads(void) {
    size_t len;
    world_settings = read_file(fixture_dir, "wk-settings.json", &len);
    for (int i = 0; i < THREADS; i++) {
        char name[64];
        snprintf(name, sizeof name, "wk-answer-%d.xml", i);
        world_answer[i] = read_file(fixture_dir, name, &world_answer_len[i]);
        snprintf(name, sizeof name, "wk-expected-%d.json", i);
        world_expected[i] = read_file(fixture_dir, name, &len);
    }
    shared_world = world_sp();
    shared_2018 = sp_2018(SETTINGS_2018, EIDPL_SETTINGS_JSON);

    pthread_t threads[THREADS];
    pthread_barrier_init(&start_together, NULL, THREADS);
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
    pthread_barrier_destroy(&start_together);
    CHECK(atomic_load(&race_logins) == 1);
    CHECK(atomic_load(&race_replays) == THREADS - 1);

    eidpl_wk_sp_free(shared_2018);
    eidpl_wk_sp_free(shared_world);
    free(world_settings);
    for (int i = 0; i < THREADS; i++) {
        free(world_answer[i]);
        free(world_expected[i]);
    }
}

/* ---------------------------------------------------------------- main */

/* attack: ffi-valgrind */
int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s INTEROP_DIR FIXTURE_DIR\n", argv[0]);
        return 2;
    }
    interop_dir = argv[1];
    fixture_dir = argv[2];
    snprintf(base_dir_2018, sizeof base_dir_2018, "%s/wk-simulator-2018", interop_dir);
    response_2018 = read_file(base_dir_2018, "artifact-response.xml", &response_2018_len);

    const char *version = eidpl_version();
    CHECK(version != NULL && strchr(version, '.') != NULL);
    printf("libeidpl %s\n", version);

    sp2018 = sp_2018(SETTINGS_2018, EIDPL_SETTINGS_JSON);
    if (sp2018 == NULL) {
        return 1;
    }
    test_wk_2018_forgeries();
    test_wk_2018_login();
    test_keys_generate();
    test_requests_and_metadata();
    test_http_calls();
    test_verify_document();
    test_bad_input();
    test_threads();
    eidpl_wk_sp_free(sp2018);

    free(response_2018);
    free(generated_settings);
    free(http_settings);
    printf("%d passed, %d failed\n", atomic_load(&passed), atomic_load(&failed));
    return atomic_load(&failed) == 0 ? 0 : 1;
}
