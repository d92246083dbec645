<?php

declare(strict_types=1);

namespace Eidpl;

/** Key pairs and CSRs for registering a DU at WK. */
final class Keys
{
    /**
     * Generates the signing and the encryption key (EC P-256) with CSRs and self-signed
     * certificates: ['signing' => ['key_pem', 'csr_pem', 'certificate_pem', 'subject'],
     * 'encryption' => [...]].
     *
     * @return array<string, mixed>
     * @throws Exception
     */
    public static function generate(string $entityId, ?string $organization = null, ?string $country = null): array
    {
        $options = FFI::optionsJson(
            ['entity_id' => $entityId, 'organization' => $organization, 'country' => $country],
            'options',
        );
        return FFI::callJson('eidpl_keys_generate', $options, strlen($options));
    }
}
