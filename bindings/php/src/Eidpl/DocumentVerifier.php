<?php

declare(strict_types=1);

namespace Eidpl;

/**
 * Verifies every signature in an XML document (podpis zaufany, XAdES, ePUAP letters, UPO).
 * Nothing is fetched from the network: trust comes from the options only.
 *
 * Options (docs/verify.md): 'trust_anchors_pem', 'intermediates_pem', 'crls_pem',
 * 'detached' => [['uri' => …, 'base64' => …]], 'now' (RFC 3339), 'check_pesel' (bool).
 */
final class DocumentVerifier
{
    /** @param array<string, mixed> $defaults options used by every verify() (e.g. trust anchors) */
    public function __construct(private array $defaults = [])
    {
    }

    /**
     * The verification report: ['verdict' => 'valid'|'invalid'|'indeterminate', 'document_type',
     * 'signatures' => [...], 'attachments', 'upo', 'warnings']. A document that parses always
     * gives a report, even when its verdict is 'invalid': check 'verdict'.
     *
     * @param array<string, mixed> $options merged over the constructor's defaults
     * @return array<string, mixed>
     * @throws Exception InputException for unreadable documents, ConfigException for options
     */
    public function verify(string $bytes, array $options = []): array
    {
        $json = FFI::optionsJson(array_merge($this->defaults, $options), 'options');
        return FFI::callJson('eidpl_verify_document', $bytes, strlen($bytes), $json, strlen($json));
    }
}
