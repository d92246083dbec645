<?php

// Without Composer: require this file. (Composer users get the same from composer.json.)
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (!str_starts_with($class, 'Eidpl\\')) {
        return;
    }
    $short = substr($class, strlen('Eidpl\\'));
    // The exception families live together in Exception.php.
    $file = str_ends_with($short, 'Exception') ? 'Exception' : $short;
    $path = __DIR__ . '/src/Eidpl/' . $file . '.php';
    if (is_file($path)) {
        require_once $path;
    }
});
