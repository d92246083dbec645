<?php

declare(strict_types=1);

namespace Eidpl;

/**
 * A Węzeł Krajowy service provider (DU): build it once per process (per PHP-FPM worker) from the
 * settings of docs/wk.md and reuse it for every request. Results are associative arrays decoded
 * from libeidpl's JSON; failures throw an Eidpl\Exception of the right family.
 *
 * Its replay store (assertion IDs already accepted) lives inside this object, in this process only.
 */
final class ServiceProvider
{
    public const FORMAT_AUTO = 0;
    public const FORMAT_JSON = 1;
    public const FORMAT_TOML = 2;

    /** null once closed, or for an object made without the constructor (reflection, unserialize). */
    private ?\FFI\CData $handle = null;

    /**
     * @param array<string, mixed>|string $settings an array (encoded as JSON) or the settings
     *        text, JSON or TOML (recognised by a leading `{` unless $format says otherwise)
     * @param string|null $baseDir relative key and certificate paths resolve against it (null:
     *        the working directory)
     * @throws Exception ConfigException naming the setting in getDetails()['setting']
     */
    public function __construct(array|string $settings, ?string $baseDir = null, int $format = self::FORMAT_AUTO)
    {
        if (is_array($settings)) {
            try {
                $settings = json_encode($settings, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
            } catch (\JsonException $e) {
                throw new InputException('invalid_input', 1, 'settings cannot be encoded as JSON: ' . $e->getMessage(),
                    ['argument' => 'settings']);
            }
            $format = self::FORMAT_JSON;
        }
        $ffi = FFI::get();
        $sp = $ffi->new('eidpl_wk_sp *');
        $err = $ffi->new('eidpl_error *');
        $baseDir ??= '';
        $status = $ffi->eidpl_wk_sp_new($settings, strlen($settings), $format, $baseDir, strlen($baseDir),
            \FFI::addr($sp), \FFI::addr($err));
        if (\FFI::isNull($sp)) {
            FFI::check((int) $status, $err);
            throw new Exception('internal_error', 30, 'eidpl_wk_sp_new returned no handle');
        }
        $this->handle = $sp;
        FFI::check((int) $status, $err);
    }

    /**
     * Settings from a file (`.json` or `.toml`, recognised by content); relative paths in it
     * resolve against the file's directory.
     *
     * @throws Exception
     */
    public static function fromFile(string $path): self
    {
        $text = @file_get_contents($path);
        if ($text === false) {
            throw new ConfigException('io_error', 28, "cannot read $path", ['path' => $path]);
        }
        $format = match (strtolower(pathinfo($path, PATHINFO_EXTENSION))) {
            'json' => self::FORMAT_JSON,
            'toml' => self::FORMAT_TOML,
            default => self::FORMAT_AUTO,
        };
        return new self($text, dirname((string) realpath($path)), $format);
    }

    /** Frees the native object now; using this object afterwards throws InputException. */
    public function close(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            FFI::get()->eidpl_wk_sp_free($handle);
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** The handle is a native pointer: a copy would free it twice. */
    public function __clone()
    {
        throw new \LogicException('Eidpl\ServiceProvider cannot be cloned; share the object instead');
    }

    /** @return array<string, never> */
    public function __serialize(): array
    {
        throw new \LogicException('Eidpl\ServiceProvider cannot be serialized; build it from settings in each process');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Eidpl\ServiceProvider cannot be unserialized; build it from settings in each process');
    }

    /**
     * A signed AuthnRequest: ['id', 'xml', 'saml_request', 'destination', 'relay_state',
     * 'html_form']. Keep 'id' in the user's session; send 'html_form' to the browser.
     *
     * @param string|null $loa "low" | "substantial" | "high"
     * @return array<string, mixed>
     * @throws Exception
     */
    public function authnRequest(?string $relayState = null, ?string $loa = null, ?string $cspNonce = null): array
    {
        $options = FFI::optionsJson(['relay_state' => $relayState, 'loa' => $loa, 'csp_nonce' => $cspNonce], 'options');
        return FFI::callJson('eidpl_wk_authn_request', $this->handle(), $options, strlen($options));
    }

    /**
     * The SOAP ArtifactResolve for the SAMLart WK posted to the ACS: ['id', 'soap', 'url'], for
     * hosts that do the HTTP themselves.
     *
     * @return array<string, mixed>
     * @throws Exception
     */
    public function artifactResolveRequest(string $artifact): array
    {
        return FFI::callJson('eidpl_wk_artifact_resolve_request', $this->handle(), $artifact, strlen($artifact));
    }

    /**
     * Resolves the SAMLart over HTTPS and validates the answer now: the login result.
     *
     * @return array<string, mixed>
     * @throws Exception
     */
    public function resolveArtifact(string $artifact, string $authnRequestId): array
    {
        return FFI::callJson('eidpl_wk_resolve_artifact', $this->handle(), $artifact, strlen($artifact),
            $authnRequestId, strlen($authnRequestId));
    }

    /**
     * Validates WK's answer to an ArtifactResolve: the login result ['name_id', 'session_index',
     * 'loa', 'person' => ['pesel', 'given_name', 'family_name', …], 'attributes', 'warnings', …].
     *
     * @param string|null $now RFC 3339 (null: the current time)
     * @param string|null $minimumLoa "low" | "substantial" | "high"
     * @return array<string, mixed>
     * @throws Exception
     */
    public function validateArtifactResponse(
        string $xml,
        string $authnRequestId,
        ?string $artifactResolveId = null,
        ?string $now = null,
        ?string $minimumLoa = null,
    ): array {
        $expected = FFI::optionsJson([
            'authn_request_id' => $authnRequestId,
            'artifact_resolve_id' => $artifactResolveId,
            'now' => $now,
            'minimum_loa' => $minimumLoa,
        ], 'expected');
        return FFI::callJson('eidpl_wk_validate_artifact_response', $this->handle(), $xml, strlen($xml),
            $expected, strlen($expected));
    }

    /**
     * The signed SOAP LogoutRequest for a session: ['id', 'soap', 'url'].
     *
     * @return array<string, mixed>
     * @throws Exception
     */
    public function logoutRequest(string $nameId, string $sessionIndex): array
    {
        return FFI::callJson('eidpl_wk_logout_request', $this->handle(), $nameId, strlen($nameId),
            $sessionIndex, strlen($sessionIndex));
    }

    /**
     * Checks WK's LogoutResponse: ['in_response_to', 'complete', 'warnings'].
     *
     * @return array<string, mixed>
     * @throws Exception
     */
    public function validateLogoutResponse(string $xml, string $logoutRequestId): array
    {
        return FFI::callJson('eidpl_wk_validate_logout_response', $this->handle(), $xml, strlen($xml),
            $logoutRequestId, strlen($logoutRequestId));
    }

    /**
     * Logs the session out at WK over HTTPS: ['in_response_to', 'complete', 'warnings'].
     *
     * @return array<string, mixed>
     * @throws Exception
     */
    public function logout(string $nameId, string $sessionIndex): array
    {
        return FFI::callJson('eidpl_wk_logout', $this->handle(), $nameId, strlen($nameId),
            $sessionIndex, strlen($sessionIndex));
    }

    /**
     * The SP's SAML metadata (XML text) to hand to COI.
     *
     * @throws Exception
     */
    public function metadata(): string
    {
        return FFI::callString('eidpl_wk_metadata', $this->handle());
    }

    private function handle(): \FFI\CData
    {
        if ($this->handle === null) {
            throw new InputException('invalid_input', 1, 'this ServiceProvider was closed',
                ['argument' => 'sp', 'reason' => 'closed']);
        }
        return $this->handle;
    }
}
