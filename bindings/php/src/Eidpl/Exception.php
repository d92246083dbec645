<?php

declare(strict_types=1);

namespace Eidpl;

/**
 * An error from libeidpl: the stable code name (`getStableCode()`, e.g. "digest_mismatch"), its
 * number (`getCode()`, the C status; docs/errors.md), a message for people and the structured
 * details (`getDetails()`, e.g. ['expected' => …, 'actual' => …] or ['setting' => 'sp.acs_url']).
 *
 * Catch a family (SignatureException, ValidationException, DecryptionException, ConfigException,
 * InputException) or this base class; `http_error` and `internal_error` are this class itself.
 */
class Exception extends \RuntimeException
{
    /** Stable code name => family, from docs/errors.md (codes are only ever added). */
    private const FAMILIES = [
        'invalid_input' => InputException::class,
        'xml_malformed' => InputException::class,
        'doctype_forbidden' => InputException::class,
        'limit_exceeded' => InputException::class,
        'duplicate_id' => ValidationException::class,
        'profile_violation' => ValidationException::class,
        'signature_missing' => SignatureException::class,
        'signature_invalid' => SignatureException::class,
        'digest_mismatch' => SignatureException::class,
        'algorithm_not_allowed' => SignatureException::class,
        'reference_invalid' => SignatureException::class,
        'key_not_trusted' => SignatureException::class,
        'c14n_failed' => SignatureException::class,
        'key_invalid' => ConfigException::class,
        'config_invalid' => ConfigException::class,
        'status_not_success' => ValidationException::class,
        'decryption_failed' => DecryptionException::class,
        'issuer_mismatch' => ValidationException::class,
        'audience_mismatch' => ValidationException::class,
        'recipient_mismatch' => ValidationException::class,
        'destination_mismatch' => ValidationException::class,
        'in_response_to_mismatch' => ValidationException::class,
        'expired' => ValidationException::class,
        'not_yet_valid' => ValidationException::class,
        'replay_detected' => ValidationException::class,
        'loa_insufficient' => ValidationException::class,
        'http_error' => self::class,
        'io_error' => ConfigException::class,
        'chain_invalid' => ValidationException::class,
        'internal_error' => self::class,
    ];

    private string $stableCode;
    /** @var array<string, mixed> */
    private array $details;

    /** @param array<string, mixed> $details */
    final public function __construct(string $stableCode, int $code, string $message, array $details = [])
    {
        parent::__construct($message === '' ? $stableCode : "$stableCode: $message", $code);
        $this->stableCode = $stableCode;
        $this->details = $details;
    }

    /**
     * The exception of the right family for a code name (an unknown, newer code: this class).
     *
     * @param array<string, mixed> $details
     */
    public static function fromCode(string $stableCode, int $code, string $message, array $details = []): self
    {
        $class = self::FAMILIES[$stableCode] ?? self::class;
        return new $class($stableCode, $code, $message, $details);
    }

    /** The stable snake_case code name, e.g. "digest_mismatch". */
    public function getStableCode(): string
    {
        return $this->stableCode;
    }

    /** @return array<string, mixed> structured details, e.g. ['setting' => 'sp.entity_idd'] */
    public function getDetails(): array
    {
        return $this->details;
    }
}

/** The input is unusable: empty, not UTF-8, not XML, a DOCTYPE, over a size limit; a closed handle. */
class InputException extends Exception
{
}

/** A signature is missing or does not verify, a digest differs, an algorithm or key is refused. */
class SignatureException extends Exception
{
}

/** A well-signed message that is not acceptable: wrong issuer/audience/request, expired, replayed, … */
class ValidationException extends Exception
{
}

/** The encrypted assertion could not be decrypted (one uniform error, by design). */
class DecryptionException extends Exception
{
}

/** Settings, options, keys or files of the setup: `details.setting` names what to fix. */
class ConfigException extends Exception
{
}
