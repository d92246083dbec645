<?php

// The PHP binding end to end, with Debian's php-cli and nothing else (no phpunit):
//   EIDPL_LIB=target/debug/libeidpl.so php bindings/php/tests/run.php [INTEROP_DIR [FIXTURE_DIR]]
// INTEROP_DIR defaults to ../shared/interop beside the project, FIXTURE_DIR to target/c-test (what
// ffi/examples/c_fixtures.rs wrote; `make test-php` runs it first). Prints "N passed, M failed"
// and exits non-zero on any failure.
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

use Eidpl\ConfigException;
use Eidpl\DocumentVerifier;
use Eidpl\Exception;
use Eidpl\InputException;
use Eidpl\Keys;
use Eidpl\ServiceProvider;
use Eidpl\SignatureException;
use Eidpl\ValidationException;

$root = dirname(__DIR__, 3);
$interop = $argv[1] ?? "$root/../shared/interop";
$fixtures = $argv[2] ?? "$root/target/c-test";

// ------------------------------------------------------------------ a harness in 40 lines

$passed = 0;
$failed = 0;
$current = '';

function check(bool $ok, string $what): bool
{
    global $passed, $failed, $current;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL [$current] $what\n");
    }
    return $ok;
}

/** Runs $fn, expects an exception of $class with stable code $code; returns it (or null). */
function expectError(string $class, string $code, callable $fn, string $what): ?Exception
{
    try {
        $fn();
    } catch (Exception $e) {
        $ok = check($e instanceof $class && $e->getStableCode() === $code,
            "$what: " . get_class($e) . " {$e->getStableCode()} is $class $code ({$e->getMessage()})");
        check($e->getCode() > 0 && $e->getMessage() !== '', "$what: the exception has a number and a message");
        return $ok ? $e : null;
    } catch (\Throwable $e) {
        check(false, "$what: expected $class $code, got " . get_class($e) . ': ' . $e->getMessage());
        return null;
    }
    check(false, "$what: expected $class $code, nothing was thrown");
    return null;
}

function test(string $name, callable $fn): void
{
    global $current;
    $current = $name;
    try {
        $fn();
    } catch (\Throwable $e) {
        check(false, 'unexpected ' . get_class($e) . ': ' . $e->getMessage() . "\n" . $e->getTraceAsString());
    }
}

function read(string $path): string
{
    $text = file_get_contents($path);
    if ($text === false) {
        fwrite(STDERR, "cannot read $path\n");
        exit(2);
    }
    return $text;
}

// ------------------------------------------------------------------ the 2018 WK message

const AUTHN_2018 = 'ID-d136a4ee-a3a3-4392-a055-2e95d44165bc';
const RESOLVE_2018 = 'ID-09a2e477-dd85-4ce2-9420-0d9cc27244df';
const NOW_2018 = '2018-09-13T13:20:00Z';

$dir2018 = "$interop/wk-simulator-2018";
$settings2018 = [
    'sp' => [
        'entity_id' => 'http://localhost.sp.pl',
        'acs_url' => 'http://localhost:11080/saml-emulator/context',
        'encryption_keys' => [['path' => 'du_enc_ec.p12', 'password' => '12345']],
    ],
    'idp' => ['environment' => 'simulator', 'signing_certs' => ['wk_sig_ec.pem']],
];
$response2018 = read("$dir2018/artifact-response.xml");

function validate2018(ServiceProvider $sp, string $xml): array
{
    return $sp->validateArtifactResponse($xml, AUTHN_2018, RESOLVE_2018, NOW_2018);
}

function isThe2018Identity(array $login): bool
{
    return ($login['name_id'] ?? null) === 'adminAll'
        && ($login['person']['pesel'] ?? null) === '87022243734'
        && ($login['person']['given_name'] ?? null) === 'Roch'
        && ($login['person']['family_name'] ?? null) === 'Apitz'
        && ($login['loa'] ?? null) === 'substantial';
}

test('version', function (): void {
    check(Eidpl\FFI::version() === '0.1.0', 'eidpl_version is 0.1.0');
});

$sp2018 = new ServiceProvider($settings2018, $dir2018);

// Forgeries and bad answers first: none of them may burn the one-time IDs of the real one.
test('2018 forgeries', function () use ($sp2018, $response2018): void {
    $needle = '<saml2:Issuer>localhost.wk.gov.pl<';
    $at = strpos($response2018, $needle);
    check($at !== false, 'the issuer is in the message');
    $forged = $response2018;
    $forged[$at + strlen('<saml2:Issuer>localhost.wk.gov.p')] = 'k'; // one byte of a name
    check(strlen($forged) === strlen($response2018) && $forged !== $response2018, 'one byte changed');
    $e = expectError(SignatureException::class, 'digest_mismatch', fn() => validate2018($sp2018, $forged), 'forged');
    check($e !== null && $e->getCode() === 9, 'digest_mismatch is number 9');
    check($e !== null && $e instanceof Exception, 'a SignatureException is an Eidpl\Exception');

    expectError(ValidationException::class, 'expired', fn() => $sp2018->validateArtifactResponse(
        $response2018, AUTHN_2018, RESOLVE_2018, '2018-09-13T15:00:00Z'), 'too late');
    $e = expectError(ValidationException::class, 'in_response_to_mismatch', fn() => $sp2018->validateArtifactResponse(
        $response2018, AUTHN_2018, 'ID-other', NOW_2018), 'another ArtifactResolve');
    check(($e?->getDetails()['expected'] ?? null) === 'ID-other', 'details name the expected ID');

    $huge = str_pad($response2018, 2 * 1024 * 1024, ' ');
    expectError(InputException::class, 'limit_exceeded', fn() => validate2018($sp2018, $huge), '2 MB response');
    expectError(InputException::class, 'xml_malformed', fn() => validate2018($sp2018, 'garbage'), 'not XML');
    expectError(InputException::class, 'xml_malformed', fn() => validate2018($sp2018, ''), 'empty response');
    expectError(InputException::class, 'doctype_forbidden',
        fn() => validate2018($sp2018, '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'), 'DOCTYPE');
    expectError(InputException::class, 'invalid_input',
        fn() => $sp2018->validateArtifactResponse($response2018, "ID-\xff", RESOLVE_2018, NOW_2018), 'ID not UTF-8');
    expectError(ConfigException::class, 'config_invalid',
        fn() => $sp2018->validateArtifactResponse($response2018, AUTHN_2018, RESOLVE_2018, 'yesterday'), 'bad now');
});

test('2018 login and replay', function () use ($sp2018, $response2018): void {
    $login = validate2018($sp2018, $response2018);
    check(isThe2018Identity($login), 'the 2018 message is adminAll, Roch Apitz, PESEL 87022243734: ' . json_encode($login['person'] ?? null));
    check(($login['session_index'] ?? null) === '_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150', 'session index');
    check(is_array($login['attributes'] ?? null) && is_array($login['warnings'] ?? null), 'attributes and warnings are arrays');
    $e = expectError(ValidationException::class, 'replay_detected', fn() => validate2018($sp2018, $response2018), 'the same answer again');
    check(($e?->getCode()) === 25, 'replay_detected is number 25');
    check(isset($e?->getDetails()['id']), 'details name the assertion ID');
});

test('2018 settings as TOML from a file', function () use ($dir2018, $response2018): void {
    $file = tempnam(sys_get_temp_dir(), 'eidpl') . '.toml';
    file_put_contents($file, "[sp]\nentity_id = \"http://localhost.sp.pl\"\n"
        . "acs_url = \"http://localhost:11080/saml-emulator/context\"\n"
        . "encryption_keys = [{ path = \"$dir2018/du_enc_ec.p12\", password = \"12345\" }]\n"
        . "[idp]\nenvironment = \"simulator\"\nsigning_certs = [\"$dir2018/wk_sig_ec.pem\"]\n");
    try {
        $sp = ServiceProvider::fromFile($file); // a new SP: a new replay store
        check(isThe2018Identity(validate2018($sp, $response2018)), 'the TOML SP validates the message');
        $e = expectError(ConfigException::class, 'config_invalid', fn() => $sp->authnRequest(), 'no signing key');
        check(str_contains(json_encode($e?->getDetails()) ?: '', 'signing_key'), 'the error names sp.signing_key');
        expectError(ConfigException::class, 'io_error', fn() => ServiceProvider::fromFile("$file.missing"), 'no such file');
    } finally {
        unlink($file);
    }
});

// ------------------------------------------------------------------ podpis zaufany documents

test('PZ document', function () use ($fixtures): void {
    $verifier = new DocumentVerifier(json_decode(read("$fixtures/pz-options.json"), true, 512, JSON_THROW_ON_ERROR));
    $report = $verifier->verify(read("$fixtures/pz-document.xml"));
    check(($report['verdict'] ?? null) === 'valid', 'verdict valid: ' . ($report['verdict'] ?? '?'));
    $signature = $report['signatures'][0] ?? [];
    check(($signature['kind'] ?? null) === 'pz', 'kind pz');
    check(($signature['pz']['pesel'] ?? null) === '87022243734', 'the PESEL of the signer');
    check(($signature['indication'] ?? null) === 'TOTAL_PASSED', 'TOTAL_PASSED');

    $forged = $verifier->verify(read("$fixtures/pz-forged.xml"));
    check(($forged['verdict'] ?? null) === 'invalid', 'forged PZ: verdict invalid');
    check(($forged['signatures'][0]['sub_indication'] ?? null) === 'HASH_FAILURE', 'forged PZ: HASH_FAILURE');

    $untrusted = (new DocumentVerifier())->verify(read("$fixtures/pz-document.xml"));
    check(($untrusted['verdict'] ?? null) !== 'valid', 'without trust anchors: not valid');

    expectError(InputException::class, 'xml_malformed', fn() => $verifier->verify(''), 'empty document');
    expectError(InputException::class, 'xml_malformed', fn() => $verifier->verify('<a>'), 'malformed document');
    $e = expectError(ConfigException::class, 'config_invalid',
        fn() => $verifier->verify(read("$fixtures/pz-document.xml"), ['trust_anchor_pem' => 'x']), 'unknown option');
    check(($e?->getDetails()['setting'] ?? null) === 'trust_anchor_pem', 'the error names the option');
    expectError(ConfigException::class, 'key_invalid',
        fn() => $verifier->verify(read("$fixtures/pz-document.xml"), ['trust_anchors_pem' => 'not PEM']), 'bad PEM');
});

// ------------------------------------------------------------------ bad input, wrong use

test('bad settings', function () use ($settings2018, $dir2018): void {
    $e = expectError(InputException::class, 'invalid_input',
        fn() => new ServiceProvider("{\"sp\": {\"entity_id\": \"\xff\xfe\"}}"), 'settings not UTF-8');
    check(($e?->getDetails()['argument'] ?? null) === 'settings', 'details.argument is settings');
    expectError(InputException::class, 'invalid_input',
        fn() => new ServiceProvider(['sp' => ['entity_id' => "\xff"]]), 'settings array not UTF-8');
    expectError(InputException::class, 'invalid_input', fn() => new ServiceProvider(''), 'empty settings');
    expectError(InputException::class, 'invalid_input', fn() => new ServiceProvider(" \n"), 'blank settings');
    $e = expectError(ConfigException::class, 'config_invalid',
        fn() => new ServiceProvider('{"sp": {"entity_idd": "x"}, "idp": {}}'), 'unknown settings key');
    check(($e?->getDetails()['setting'] ?? null) === 'sp.entity_idd', 'details.setting names the key');
    check(str_contains($e?->getMessage() ?? '', 'sp.entity_idd'), 'the message names the key');
    expectError(ConfigException::class, 'config_invalid',
        fn() => new ServiceProvider('{"sp": ', null, ServiceProvider::FORMAT_JSON), 'truncated JSON');
    expectError(ConfigException::class, 'config_invalid',
        fn() => new ServiceProvider(json_encode($settings2018), $dir2018, ServiceProvider::FORMAT_TOML), 'JSON read as TOML');
    expectError(InputException::class, 'invalid_input',
        fn() => new ServiceProvider(json_encode($settings2018), $dir2018, 7), 'unknown format');
    $e = expectError(ConfigException::class, 'config_invalid',
        fn() => new ServiceProvider($settings2018), 'relative key path without the base directory');
    check(str_contains(json_encode($e?->getDetails()) ?: '', 'du_enc_ec.p12'), 'the error names the file');
    expectError(InputException::class, 'invalid_input', fn() => new ServiceProvider($settings2018, "\xc3"), 'base dir not UTF-8');
});

test('a closed ServiceProvider', function () use ($settings2018, $dir2018, $response2018): void {
    $sp = new ServiceProvider($settings2018, $dir2018);
    $sp->close();
    $sp->close(); // twice is fine
    expectError(InputException::class, 'invalid_input', fn() => validate2018($sp, $response2018), 'validate after close');
    expectError(InputException::class, 'invalid_input', fn() => $sp->metadata(), 'metadata after close');
    expectError(InputException::class, 'invalid_input', fn() => $sp->authnRequest(), 'authnRequest after close');
    expectError(InputException::class, 'invalid_input', fn() => $sp->logoutRequest('a', 'b'), 'logoutRequest after close');
    $threw = false;
    try {
        $copy = clone $sp;
    } catch (\LogicException $e) {
        $threw = true;
    }
    check($threw, 'a ServiceProvider cannot be cloned (two owners of one handle)');
    foreach (['serialize' => fn() => serialize($sp),
        'unserialize' => fn() => unserialize('O:21:"Eidpl\\ServiceProvider":0:{}')] as $what => $fn) {
        $threw = false;
        try {
            $fn();
        } catch (\LogicException) {
            $threw = true;
        }
        check($threw, "a ServiceProvider refuses $what");
    }
    // Made without the constructor: no handle, so an exception (and a harmless destructor).
    $bare = (new ReflectionClass(ServiceProvider::class))->newInstanceWithoutConstructor();
    expectError(InputException::class, 'invalid_input', fn() => $bare->metadata(), 'a ServiceProvider without constructor');
    unset($bare);
    unset($sp); // __destruct after close: nothing to free twice
    check(true, 'destroyed after close');
});

// ------------------------------------------------------------------ keys, requests, metadata

$generated = null;
test('keys generate a working service provider', function () use (&$generated, $dir2018): void {
    $keys = Keys::generate('https://gmina.example.pl', 'Gmina Example');
    check(($keys['signing']['subject'] ?? null) === 'CN=https://gmina.example.pl_sig_ec, O=Gmina Example, C=PL', 'signing subject');
    check(str_contains($keys['signing']['csr_pem'] ?? '', 'BEGIN CERTIFICATE REQUEST'), 'a CSR');
    check(str_contains($keys['encryption']['key_pem'] ?? '', 'BEGIN PRIVATE KEY'), 'an encryption key');
    $sp = [
        'entity_id' => 'https://gmina.example.pl',
        'acs_url' => 'https://gmina.example.pl/wk/acs',
        'provider_name' => 'Gmina Example',
        'signing_key' => $keys['signing']['key_pem'],
        'signing_cert' => $keys['signing']['certificate_pem'],
        'encryption_keys' => [$keys['encryption']['key_pem']],
        'encryption_certs' => [$keys['encryption']['certificate_pem']],
    ];
    $generated = new ServiceProvider(['sp' => $sp, 'idp' => ['environment' => 'integration']]);

    $request = $generated->authnRequest('/sprawy/123', 'substantial');
    check(str_starts_with($request['id'] ?? '', 'ID-') || ($request['id'] ?? '') !== '', 'the request has an ID');
    $xml = base64_decode($request['saml_request'] ?? '', true);
    check(is_string($xml) && str_contains($xml, $request['id']) && str_contains($xml, 'AuthnRequest'), 'SAMLRequest is the AuthnRequest');
    check(is_string($xml) && str_contains($xml, 'SignatureValue'), 'the AuthnRequest is signed');
    check(str_contains($request['html_form'] ?? '', 'SAMLRequest') && str_contains($request['html_form'], $request['destination']), 'the form posts it to WK');
    check(($request['relay_state'] ?? null) === '/sprawy/123', 'relay state');
    check(str_contains($request['destination'] ?? '', 'login.gov.pl'), 'destination is WK integration');
    expectError(ConfigException::class, 'config_invalid', fn() => $generated->authnRequest(null, 'highest'), 'bad LoA');
    expectError(InputException::class, 'invalid_input', fn() => $generated->authnRequest(str_repeat('x', 81)), 'relay state over 80 bytes');

    $resolve = $generated->artifactResolveRequest(base64_encode(str_repeat("\x01", 44)));
    check(str_contains($resolve['soap'] ?? '', 'ArtifactResolve') && ($resolve['id'] ?? '') !== '', 'ArtifactResolve SOAP');
    expectError(InputException::class, 'invalid_input', fn() => $generated->artifactResolveRequest(''), 'empty artifact');
    expectError(InputException::class, 'invalid_input', fn() => $generated->artifactResolveRequest('not base64 !'), 'artifact not base64');

    $logout = $generated->logoutRequest('obywatel-0', '_ID-session');
    check(str_contains($logout['soap'] ?? '', 'LogoutRequest') && str_contains($logout['soap'], 'obywatel-0'), 'LogoutRequest SOAP');
    expectError(InputException::class, 'invalid_input', fn() => $generated->logoutRequest('', ''), 'empty logout values');
    expectError(InputException::class, 'xml_malformed', fn() => $generated->validateLogoutResponse('garbage', $logout['id']), 'logout response not XML');

    $metadata = $generated->metadata();
    check(str_contains($metadata, 'EntityDescriptor') && str_contains($metadata, 'https://gmina.example.pl'), 'metadata');
    $dom = new DOMDocument();
    check($dom->loadXML($metadata) && $dom->documentElement?->localName === 'EntityDescriptor', 'metadata is XML');
});

test('HTTP calls fail cleanly when nothing listens', function () use ($dir2018): void {
    $keys = Keys::generate('https://gmina.example.pl');
    $sp = new ServiceProvider([
        'sp' => [
            'entity_id' => 'https://gmina.example.pl',
            'acs_url' => 'https://gmina.example.pl/wk/acs',
            'provider_name' => 'Gmina Example',
            'signing_key' => $keys['signing']['key_pem'],
            'signing_cert' => $keys['signing']['certificate_pem'],
            'encryption_keys' => [$keys['encryption']['key_pem']],
            'encryption_certs' => [$keys['encryption']['certificate_pem']],
        ],
        'idp' => [
            'environment' => 'custom', 'entity_id' => 'localhost.wk.gov.pl', 'signing_certs' => ['wk_sig_ec.pem'],
            'artifact_resolution_url' => 'http://127.0.0.1:9/ars', 'slo_url' => 'http://127.0.0.1:9/slo',
        ],
        'http' => ['timeout_seconds' => 5, 'connect_timeout_seconds' => 2],
    ], $dir2018);
    $e = expectError(Exception::class, 'http_error',
        fn() => $sp->resolveArtifact(base64_encode(str_repeat("\x02", 44)), 'ID-x'), 'resolveArtifact');
    check(isset($e?->getDetails()['reason']), 'details.reason');
    expectError(Exception::class, 'http_error', fn() => $sp->logout('obywatel-0', '_ID-session'), 'logout');
});

// ------------------------------------------------------------------ PHP's own libxml2

/** What PHP's DOM makes of a document: its canonical form and the errors it collected. */
function domView(string $xml, int $options = 0): array
{
    libxml_clear_errors();
    $dom = new DOMDocument();
    $ok = @$dom->loadXML($xml, $options);
    $errors = array_map(fn(LibXMLError $e) => [$e->level, $e->code, $e->line, trim($e->message)], libxml_get_errors());
    libxml_clear_errors();
    return [$ok, $ok ? $dom->C14N() : null, $errors];
}

test('PHP libxml2 state is untouched by eidpl', function () use ($sp2018, $response2018, $fixtures): void {
    $good = '<a xmlns="urn:a" xmlns:b="urn:b"><b:c d="1" a="2">t&amp;x</b:c><!-- c --></a>';
    $broken = "<a>\n<b></a>";
    $dtd = '<!DOCTYPE r [<!ENTITY e "expanded">]><r>&e;</r>';
    $external = '<!DOCTYPE r [<!ENTITY ext SYSTEM "http://example.invalid/ext.xml">]><r>&ext;</r>';

    $previous = libxml_use_internal_errors(true);
    $loaded = [];
    libxml_set_external_entity_loader(function ($public, $system, $context) use (&$loaded) {
        $loaded[] = $system;
        $f = fopen('php://memory', 'w+');
        fwrite($f, 'from the PHP loader');
        rewind($f);
        return $f;
    });
    try {
        $before = [domView($good), domView($broken), domView($dtd, LIBXML_NOENT), domView($external, LIBXML_NOENT | LIBXML_DTDLOAD)];
        check($before[0][0] && $before[0][2] === [], 'PHP parses a good document without errors');
        check(!$before[1][0] && count($before[1][2]) > 0, 'PHP collects its own errors (libxml_use_internal_errors)');
        check(str_contains((string) $before[2][1], 'expanded'), 'PHP expands its internal entity');
        check(str_contains((string) $before[3][1], 'from the PHP loader') && $loaded === ['http://example.invalid/ext.xml'],
            'PHP\'s entity loader is used by PHP');
        $loaded = [];

        // eidpl parses, fails to parse, canonicalizes, verifies, decrypts: all on the same libxml2.
        libxml_clear_errors();
        expectError(InputException::class, 'xml_malformed', fn() => validate2018($sp2018, $broken), 'eidpl: broken XML');
        expectError(InputException::class, 'doctype_forbidden', fn() => validate2018($sp2018, $dtd), 'eidpl: DOCTYPE after PHP parsed one');
        expectError(InputException::class, 'doctype_forbidden', fn() => validate2018($sp2018, $external), 'eidpl: external entity');
        expectError(InputException::class, 'doctype_forbidden', fn() => (new DocumentVerifier())->verify($external), 'verify: external entity');
        expectError(ValidationException::class, 'replay_detected', fn() => validate2018($sp2018, $response2018), 'eidpl: full validation');
        $options = json_decode(read("$fixtures/pz-options.json"), true);
        check((new DocumentVerifier($options))->verify(read("$fixtures/pz-document.xml"))['verdict'] === 'valid', 'eidpl: a document verifies');
        check((new DocumentVerifier($options))->verify(read("$fixtures/pz-forged.xml"))['verdict'] === 'invalid', 'eidpl: a forgery is invalid');
        check(libxml_get_errors() === [], 'eidpl\'s libxml2 errors do not land in PHP\'s collection: '
            . json_encode(array_map(fn($e) => trim($e->message), libxml_get_errors())));
        check($loaded === [], 'eidpl never calls PHP\'s entity loader');

        $after = [domView($good), domView($broken), domView($dtd, LIBXML_NOENT), domView($external, LIBXML_NOENT | LIBXML_DTDLOAD)];
        check($after === $before, 'PHP\'s DOM parses, collects errors, expands and loads entities identically after eidpl');
        check($loaded === ['http://example.invalid/ext.xml'], 'PHP\'s entity loader is still in place');
        expectError(InputException::class, 'doctype_forbidden', fn() => validate2018($sp2018, $dtd), 'eidpl still refuses a DOCTYPE');
    } finally {
        libxml_set_external_entity_loader(null);
        libxml_use_internal_errors($previous);
    }

    // Without internal errors, PHP reports libxml2 errors as warnings: still so after eidpl.
    $warnings = [];
    set_error_handler(function (int $no, string $message) use (&$warnings) {
        $warnings[] = $message;
        return true;
    });
    try {
        (new DOMDocument())->loadXML($broken);
        $first = $warnings;
        $warnings = [];
        expectError(InputException::class, 'xml_malformed', fn() => validate2018($sp2018, $broken), 'eidpl: broken XML (warnings mode)');
        check($warnings === [], 'eidpl raises no PHP warnings');
        (new DOMDocument())->loadXML($broken);
        check($first !== [] && $warnings === $first, 'PHP\'s warnings for its own errors are unchanged');
    } finally {
        restore_error_handler();
    }
});

// ------------------------------------------------------------------ memory

test('no growth over many calls', function () use ($sp2018, $generated): void {
    $rss = function (): int {
        preg_match('/^VmRSS:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
        return (int) ($m[1] ?? 0);
    };
    $round = function () use ($sp2018, $generated): void {
        for ($i = 0; $i < 2000; $i++) {
            foreach (['<a>', '<!DOCTYPE a><a/>', "\xff", ''] as $bad) {
                try {
                    validate2018($sp2018, $bad);
                } catch (InputException) {
                }
            }
            try {
                new ServiceProvider('{"sp": {"entity_idd": "x"}, "idp": {}}');
            } catch (ConfigException) {
            }
            $generated?->metadata();
            $generated?->logoutRequest('obywatel-0', '_ID-session');
        }
    };
    $round(); // warm-up: allocator arenas, caches
    $start = $rss();
    $round();
    $round();
    $growth = $rss() - $start;
    // 20000 error objects, 4000 metadata documents and signed requests: leaking any is megabytes.
    check($growth < 2048, "RSS grew by $growth kB over 28000 calls");
});

// ------------------------------------------------------------------ several processes

test('four processes validate generated logins', function () use ($fixtures): void {
    $sp = ServiceProvider::fromFile("$fixtures/wk-settings.json");
    $count = 0;
    while (is_file("$fixtures/wk-answer-$count.xml")) {
        $count++;
    }
    check($count >= 4, "the WK fixtures hold answers ($count)");
    $single = [];
    for ($i = 0; $i < $count; $i++) {
        $e = json_decode(read("$fixtures/wk-expected-$i.json"), true);
        $single[$i] = $sp->validateArtifactResponse(read("$fixtures/wk-answer-$i.xml"),
            $e['authn_request_id'], $e['artifact_resolve_id'], $e['now']);
        check(($single[$i]['name_id'] ?? null) === "obywatel-$i" && ($single[$i]['person']['pesel'] ?? null) === '87022243734',
            "single process: answer $i is obywatel-$i");
    }

    $children = [];
    for ($c = 0; $c < 4; $c++) {
        // Each child validates every answer, starting at another one.
        $order = [];
        for ($k = 0; $k < $count; $k++) {
            $order[] = ($c + $k) % $count;
        }
        $command = array_merge([PHP_BINARY], phpIniArgs(), [__DIR__ . '/worker.php', $fixtures], array_map('strval', $order));
        $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        check(is_resource($process), "child $c started");
        $children[] = [$process, $pipes];
    }
    $pids = [];
    foreach ($children as $c => [$process, $pipes]) {
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $status = proc_close($process);
        check($status === 0, "child $c exits 0 (stderr: " . trim((string) $err) . ')');
        $result = json_decode((string) $out, true);
        check(is_array($result), "child $c printed its results");
        $pids[] = $result['pid'] ?? null;
        check(($result['results'] ?? null) == $single, "child $c has the single-process results");
        // The replay store is per process: each child saw only its own first use.
        check(($result['replay'] ?? null) === 'replay_detected', "child $c detects its own replay");
    }
    check(count(array_unique($pids)) === 4 && !in_array(getmypid(), $pids, true), 'four distinct processes');
});

/** The -d settings of this PHP that the children need too (e.g. ffi.enable given on the command line). */
function phpIniArgs(): array
{
    $args = [];
    foreach (['ffi.enable'] as $key) {
        $value = ini_get($key);
        if ($value !== false) {
            $args[] = "-d$key=$value";
        }
    }
    return $args;
}

// ------------------------------------------------------------------ PHP-FPM style preloading

test('preloaded with ffi.preload and opcache.preload', function (): void {
    $header = tempnam(sys_get_temp_dir(), 'eidpl') . '.h';
    file_put_contents($header, Eidpl\FFI::preloadHeader());
    try {
        $user = function_exists('posix_geteuid') ? (posix_getpwuid(posix_geteuid())['name'] ?? 'root') : 'root';
        $command = [PHP_BINARY, '-d', 'ffi.enable=preload', '-d', "ffi.preload=$header",
            '-d', 'opcache.enable_cli=1', '-d', 'opcache.preload=' . dirname(__DIR__) . '/preload.php',
            '-d', "opcache.preload_user=$user", __DIR__ . '/preload_child.php'];
        $env = getenv();
        $env['EIDPL_LIB'] = '/nonexistent/libeidpl.so'; // FFI::cdef would fail: only the scope works
        $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        check(proc_close($process) === 0, 'the preloaded child exits 0 (stderr: ' . trim((string) $err) . ')');
        check(trim((string) $err) === '', 'no warnings from preloading');
        $result = json_decode((string) $out, true);
        check(($result['classes_preloaded'] ?? null) === true, 'the classes come from opcache.preload');
        check(($result['scope'] ?? null) === '0.1.0' && ($result['version'] ?? null) === '0.1.0', 'FFI scope EIDPL from ffi.preload');
        check(str_starts_with($result['subject'] ?? '', 'CN=https://gmina.example.pl_sig_ec'), 'a call through the preloaded scope');
    } finally {
        unlink($header);
    }
});

// ------------------------------------------------------------------ done

unset($sp2018, $generated);
gc_collect_cycles();
echo "$passed passed, $failed failed\n";
exit($failed === 0 && $passed > 0 ? 0 : 1);
