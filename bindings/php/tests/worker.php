<?php

// A child of the multi-process test in run.php: builds its own ServiceProvider from the generated
// WK world (FIXTURE_DIR/wk-settings.json) and validates the answers it is given, in that order,
// then the first one again (replay). Prints {"results": {i: login|{"error": code}}, "replay": code}.
//   php worker.php FIXTURE_DIR I J K ...
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

[$_, $dir] = $argv;
$indexes = array_map('intval', array_slice($argv, 2));
$sp = Eidpl\ServiceProvider::fromFile("$dir/wk-settings.json");

/** @return array<string, mixed> */
function validate(Eidpl\ServiceProvider $sp, string $dir, int $i): array
{
    $expected = json_decode((string) file_get_contents("$dir/wk-expected-$i.json"), true, 512, JSON_THROW_ON_ERROR);
    try {
        return $sp->validateArtifactResponse(
            (string) file_get_contents("$dir/wk-answer-$i.xml"),
            $expected['authn_request_id'],
            $expected['artifact_resolve_id'],
            $expected['now'],
        );
    } catch (Eidpl\Exception $e) {
        return ['error' => $e->getStableCode()];
    }
}

$results = [];
foreach ($indexes as $i) {
    $results[$i] = validate($sp, $dir, $i);
}
ksort($results);
$replay = $indexes === [] ? null : (validate($sp, $dir, $indexes[0])['error'] ?? 'accepted');
echo json_encode(['pid' => getmypid(), 'results' => $results, 'replay' => $replay], JSON_UNESCAPED_UNICODE), "\n";
