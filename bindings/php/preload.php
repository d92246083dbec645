<?php

// An opcache.preload script for PHP-FPM (README.md): compiles the wrapper's classes into opcache
// once, at server start.
//   opcache.preload=/path/to/bindings/php/preload.php
//   opcache.preload_user=www-data
// libeidpl's declarations come from php.ini's `ffi.preload` (bin/eidpl-preload-header), the way
// that works when the FPM master runs as root. Only a master that does not run as root (no
// opcache.preload_user) may load them here instead, with FFI::load.
declare(strict_types=1);

foreach (['Exception', 'FFI', 'ServiceProvider', 'DocumentVerifier', 'Keys'] as $file) {
    require_once __DIR__ . "/src/Eidpl/$file.php";
}
try {
    \FFI::scope(Eidpl\FFI::SCOPE); // already loaded by ffi.preload
} catch (\FFI\Exception) {
    if ((string) ini_get('opcache.preload_user') !== '') {
        throw new RuntimeException('eidpl: set ffi.preload to the output of bin/eidpl-preload-header '
            . '(PHP refuses FFI::load together with opcache.preload_user)');
    }
    Eidpl\FFI::preload();
}
