<?php

declare(strict_types=1);

namespace Eidpl;

/**
 * Loads libeidpl once per process and does the C ABI's bookkeeping for the other classes: every
 * returned string is copied into PHP and freed with eidpl_string_free, every error object is
 * turned into an Eidpl\Exception and freed with eidpl_error_free.
 *
 * The library is `EIDPL_LIB` from the environment, else `lib/libeidpl.so` next to this package,
 * else `libeidpl.so` from the system's library path. The header is `EIDPL_HEADER`, else the first
 * `eidpl_php.h` found in this package's `include/`, the source tree's `include/`, /usr/local/include
 * or /usr/include.
 *
 * For PHP-FPM with `ffi.enable=preload`, php.ini names a header from `preloadHeader()` in
 * `ffi.preload` (bin/eidpl-preload-header writes one); the declarations are then loaded once at
 * start-up under the scope "EIDPL" and every request finds them with FFI::scope (README.md).
 */
final class FFI
{
    public const SCOPE = 'EIDPL';

    private static ?\FFI $ffi = null;

    /** The loaded library (loading it on first use). */
    public static function get(): \FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        if (!extension_loaded('ffi')) {
            throw new ConfigException('config_invalid', 15, 'the PHP FFI extension is not loaded', ['setting' => 'ffi']);
        }
        try {
            // Preloaded (php.ini ffi.preload, or FFI::preload() in opcache.preload): the only way
            // under ffi.enable=preload outside the CLI.
            self::$ffi = \FFI::scope(self::SCOPE);
        } catch (\Throwable $e) {
            try {
                self::$ffi = \FFI::cdef(self::declarations(), self::libraryPath());
            } catch (\FFI\Exception $e) {
                throw new ConfigException('config_invalid', 15, 'cannot load libeidpl: ' . $e->getMessage()
                    . ' (set EIDPL_LIB; under PHP-FPM with ffi.enable=preload, name bin/eidpl-preload-header\'s output in ffi.preload)',
                    ['setting' => 'EIDPL_LIB', 'library' => self::libraryPath()]);
            }
        }
        return self::$ffi;
    }

    /**
     * The text of a header for `ffi.preload` (php.ini) or FFI::load: eidpl_php.h with
     * `#define FFI_SCOPE "EIDPL"` and `#define FFI_LIB "<libraryPath()>"` in front.
     */
    public static function preloadHeader(): string
    {
        return "#define FFI_SCOPE \"" . self::SCOPE . "\"\n#define FFI_LIB \""
            . addcslashes(self::libraryPath(), "\"\\") . "\"\n" . self::declarations();
    }

    /**
     * For an opcache.preload script of a server whose master does not run as root: loads the
     * declarations with FFI::load under scope "EIDPL" (PHP refuses FFI::load together with
     * opcache.preload_user; there, put preloadHeader() in a file named by `ffi.preload`).
     * The header is written to $cacheDir (default: the system temp dir) first.
     */
    public static function preload(?string $cacheDir = null): \FFI
    {
        $text = self::preloadHeader();
        $file = ($cacheDir ?? sys_get_temp_dir()) . '/eidpl_php.' . hash('sha256', $text) . '.h';
        if (!is_file($file)) {
            $tmp = $file . '.' . getmypid();
            if (file_put_contents($tmp, $text) === false || !rename($tmp, $file)) {
                throw new ConfigException('config_invalid', 15, "cannot write $file", ['setting' => 'cacheDir']);
            }
        }
        $ffi = \FFI::load($file);
        if ($ffi === null) {
            throw new ConfigException('config_invalid', 15, "FFI::load($file) failed", ['setting' => 'EIDPL_LIB']);
        }
        return self::$ffi = $ffi;
    }

    /** The path dlopen() is given. */
    public static function libraryPath(): string
    {
        $env = getenv('EIDPL_LIB');
        if (is_string($env) && $env !== '') {
            return $env;
        }
        $local = dirname(__DIR__, 2) . '/lib/libeidpl.so';
        return is_file($local) ? $local : 'libeidpl.so';
    }

    /** The text of eidpl_php.h. */
    public static function declarations(): string
    {
        $candidates = [];
        $env = getenv('EIDPL_HEADER');
        if (is_string($env) && $env !== '') {
            $candidates[] = $env;
        }
        $package = dirname(__DIR__, 2);
        array_push(
            $candidates,
            $package . '/include/eidpl_php.h',
            dirname($package, 2) . '/include/eidpl_php.h',
            '/usr/local/include/eidpl_php.h',
            '/usr/include/eidpl_php.h',
        );
        foreach ($candidates as $path) {
            if (is_file($path)) {
                $text = file_get_contents($path);
                if ($text !== false) {
                    return $text;
                }
            }
        }
        throw new ConfigException('config_invalid', 15, 'eidpl_php.h not found (set EIDPL_HEADER)', ['setting' => 'EIDPL_HEADER']);
    }

    /** libeidpl's version, e.g. "0.1.0". */
    public static function version(): string
    {
        return (string) self::get()->eidpl_version();
    }

    /**
     * Calls a libeidpl function whose last two parameters are `char **out`, `eidpl_error **err`
     * and returns the result string copied into PHP (both C objects freed).
     *
     * @param mixed ...$args the arguments before `out` and `err`
     * @throws Exception
     */
    public static function callString(string $function, ...$args): string
    {
        $ffi = self::get();
        $out = $ffi->new('char *');
        $err = $ffi->new('eidpl_error *');
        $status = $ffi->$function(...[...$args, \FFI::addr($out), \FFI::addr($err)]);
        $result = null;
        if (!\FFI::isNull($out)) {
            $result = \FFI::string($out);
            $ffi->eidpl_string_free($out);
        }
        self::check((int) $status, $err);
        if ($result === null) {
            throw new Exception('internal_error', 30, "$function succeeded without a result");
        }
        return $result;
    }

    /**
     * The same for functions returning JSON: the decoded associative array.
     *
     * @param mixed ...$args
     * @return array<string, mixed>
     * @throws Exception
     */
    public static function callJson(string $function, ...$args): array
    {
        $json = self::callString($function, ...$args);
        try {
            $value = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new Exception('internal_error', 30, "$function returned invalid JSON: " . $e->getMessage());
        }
        if (!is_array($value)) {
            throw new Exception('internal_error', 30, "$function returned JSON that is not an object");
        }
        return $value;
    }

    /**
     * Throws the exception for a failed status (freeing the error object) or returns.
     *
     * @throws Exception
     */
    public static function check(int $status, \FFI\CData $err): void
    {
        $ffi = self::get();
        if (\FFI::isNull($err)) {
            if ($status !== 0) {
                throw Exception::fromCode('internal_error', $status, "status $status without an error object");
            }
            return;
        }
        try {
            $code = (int) $ffi->eidpl_error_code($err);
            $name = (string) $ffi->eidpl_error_code_name($err);
            $message = (string) $ffi->eidpl_error_message($err);
            $detailsJson = (string) $ffi->eidpl_error_details_json($err);
        } finally {
            $ffi->eidpl_error_free($err);
        }
        $details = json_decode($detailsJson, true);
        throw Exception::fromCode($name, $code !== 0 ? $code : $status, $message, is_array($details) ? $details : []);
    }

    /**
     * JSON for an options object: '' (the ABI's "{}") for no options.
     *
     * @param array<string, mixed> $options
     * @throws InputException
     */
    public static function optionsJson(array $options, string $argument): string
    {
        $options = array_filter($options, static fn($v) => $v !== null);
        if ($options === []) {
            return '';
        }
        try {
            return json_encode($options, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new InputException('invalid_input', 1, "$argument cannot be encoded as JSON: " . $e->getMessage(),
                ['argument' => $argument]);
        }
    }
}
