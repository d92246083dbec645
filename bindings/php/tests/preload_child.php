<?php

// A child of the preload test in run.php, started with ffi.enable=preload, ffi.preload and
// opcache.preload=../preload.php, and EIDPL_LIB pointing nowhere: it works only if the classes
// and libeidpl's declarations came from the preloading, as under PHP-FPM.
declare(strict_types=1);

$preloaded = class_exists(Eidpl\ServiceProvider::class, false);
require __DIR__ . '/../autoload.php';
$keys = Eidpl\Keys::generate('https://gmina.example.pl');
echo json_encode([
    'classes_preloaded' => $preloaded,
    'scope' => \FFI::scope('EIDPL')->eidpl_version(),
    'version' => Eidpl\FFI::version(),
    'subject' => $keys['signing']['subject'],
]), "\n";
