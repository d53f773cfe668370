
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oksms' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'oksms'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'oksms' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Pull the events from an Okta org''s System Log API (/api/v1/logs)')
            [CompletionResult]::new('parse', 'parse', [CompletionResultType]::ParameterValue, 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write a profile to oksms''s config file (`config init`), then check it')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the set-up: config, org, clock, credentials, permission, rate limit')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;fetch' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Events per request (Okta''s maximum is 1000). A `watch` checkpoint keeps the size it was started with')
            [CompletionResult]::new('--rate-budget', '--rate-budget', [CompletionResultType]::ParameterName, 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h')
            [CompletionResult]::new('--max-page-size', '--max-page-size', [CompletionResultType]::ParameterName, 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB')
            [CompletionResult]::new('--max-rate-limit-wait', '--max-rate-limit-wait', [CompletionResultType]::ParameterName, 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the range: a time (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d, 2w) [default: --until minus 7 days]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the range: a time, `now` or a duration back from now [default: now]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events whose target user has this login or id')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'Only events sent to this phone number (compared by digits; without a leading + it may be the national part). Applied by oksms, since the number may be in debugData')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only events whose actor has this login or id')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events with this outcome')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A raw Okta filter expression, and-ed with the others (e.g. ''client.ipAddress eq "203.0.113.9"'')')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Stop after this many records; no further page is requested')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)')
            [CompletionResult]::new('--findings-format', '--findings-format', [CompletionResultType]::ParameterName, 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources')
            [CompletionResult]::new('--prefix-digits', '--prefix-digits', [CompletionResultType]::ParameterName, 'How many trailing digits the `prefix` key (the number range) drops')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a report to FILE: `.html` (one self-contained page with charts, for a browser or print) or `.md` (Markdown tables, e.g. for `$GITHUB_STEP_SUMMARY`), written when the run ends')
            [CompletionResult]::new('--baseline-since', '--baseline-since', [CompletionResultType]::ParameterName, 'Fetch this span of the System Log before the range (`30d`) as the baseline of `new KEY` rules (`--alert ''new region''`), read as `--baseline FILE` would be; same event types and API filters')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")')
            [CompletionResult]::new('--keep-duplicates', '--keep-duplicates', [CompletionResultType]::ParameterName, 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;parse' {
            [CompletionResult]::new('--max-record-size', '--max-record-size', [CompletionResultType]::ParameterName, 'Skip (and report) any record larger than SIZE bytes (or KiB/MiB); memory use is bounded by it')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)')
            [CompletionResult]::new('--findings-format', '--findings-format', [CompletionResultType]::ParameterName, 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources')
            [CompletionResult]::new('--prefix-digits', '--prefix-digits', [CompletionResultType]::ParameterName, 'How many trailing digits the `prefix` key (the number range) drops')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a report to FILE: `.html` (one self-contained page with charts, for a browser or print) or `.md` (Markdown tables, e.g. for `$GITHUB_STEP_SUMMARY`), written when the run ends')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop at the first malformed record instead of skipping it')
            [CompletionResult]::new('--keep-duplicates', '--keep-duplicates', [CompletionResultType]::ParameterName, 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;watch' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Events per request (Okta''s maximum is 1000). A `watch` checkpoint keeps the size it was started with')
            [CompletionResult]::new('--rate-budget', '--rate-budget', [CompletionResultType]::ParameterName, 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h')
            [CompletionResult]::new('--max-page-size', '--max-page-size', [CompletionResultType]::ParameterName, 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB')
            [CompletionResult]::new('--max-rate-limit-wait', '--max-rate-limit-wait', [CompletionResultType]::ParameterName, 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Where to start without a checkpoint: a time (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d, 2w) [default: 15m]. Ignored when --state holds a checkpoint')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Wait this long after a short page, when the log is caught up (10s, 500ms, 2m, 1h; a bare number is seconds; 10ms to 24h)')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every raw LogEvent received to FILE as NDJSON, fsynced before the checkpoint moves (`oksms parse FILE` reproduces the output). It is the raw evidence: --mask does not apply to it')
            [CompletionResult]::new('--max-polls', '--max-polls', [CompletionResultType]::ParameterName, 'Stop (exit 0) after this many polls (pages fetched)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Receive Okta event hooks on ADDR (e.g. 127.0.0.1:8080; port 0 picks a free port, printed on stderr) instead of polling')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The request path Okta''s hook registration points at')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Read the hook''s secret (the whole header value Okta sends, e.g. `Basic czNjcmV0`) from this environment variable. Required')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'The header that carries the secret')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Refuse bodies larger than SIZE with 413 (bytes, or with KiB/MiB)')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Append each delivery (envelope, redacted headers, receive time) as one NDJSON line to FILE, fsynced before the 200 answer. The file is valid input for `oksms parse` and `oksms replay`. It is the raw evidence: --mask does not apply to it')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Keep at most N connections open at once; more wait to be accepted. Lowered (with a warning) to stay below the open-file limit')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose request headers are not complete within DURATION (Okta sends a whole delivery within 3s)')
            [CompletionResult]::new('--body-timeout', '--body-timeout', [CompletionResultType]::ParameterName, 'Answer 408 to a delivery whose body is not complete within DURATION after its headers')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection that moved no bytes and had no request in progress for DURATION (keep-alive idle, a client not reading)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this PEM certificate chain (leaf first, e.g. certbot''s fullchain.pem); reloaded on SIGHUP. Okta only calls https:// URLs: without TLS, put a TLS proxy in front')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The PEM private key of --tls-cert (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--register', '--register', [CompletionResultType]::ParameterName, 'On start, make Okta deliver here: reuse the org''s event hook for this https:// URL or create one (for the SMS event, with the --secret-env secret in --auth-header), and verify it while the listener answers. Needs the org and credentials (--org, token or service app with scope okta.eventHooks.manage)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Keep the de-duplication memory (and, when polling, the checkpoint) in FILE across restarts; written atomically')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)')
            [CompletionResult]::new('--findings-format', '--findings-format', [CompletionResultType]::ParameterName, 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources')
            [CompletionResult]::new('--prefix-digits', '--prefix-digits', [CompletionResultType]::ParameterName, 'How many trailing digits the `prefix` key (the number range) drops')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'With --group-by: print the summary again this often (10s, 5m, 1h); on a terminal it is redrawn in place, also when records arrive')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")')
            [CompletionResult]::new('--exit-when-idle', '--exit-when-idle', [CompletionResultType]::ParameterName, 'Stop (exit 0) at the first poll that is caught up (a short page): drains what is there and ends, e.g. for a cron job with --state')
            [CompletionResult]::new('--deregister-on-exit', '--deregister-on-exit', [CompletionResultType]::ParameterName, 'With --register: deactivate the hook on SIGINT/SIGTERM (Okta then stops delivering; it keeps no backlog for an inactive hook)')
            [CompletionResult]::new('--reset-state', '--reset-state', [CompletionResultType]::ParameterName, 'Start over: ignore an existing --state file (it is replaced)')
            [CompletionResult]::new('--keep-duplicates', '--keep-duplicates', [CompletionResultType]::ParameterName, 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;replay' {
            [CompletionResult]::new('--only-failed', '--only-failed', [CompletionResultType]::ParameterName, 'Re-send only the failed deliveries of an earlier `--report` file')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Keep the original spacing of `published`, N times faster (1 = real time)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Send (or print) at a fixed rate instead, e.g. `10/s` or `120/min`')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only events published at or after this time (2024-05-01T12:00:00Z, or a duration back from now: 6h, 2d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events published before this time (as --from; also `now`)')
            [CompletionResult]::new('--max-record-size', '--max-record-size', [CompletionResultType]::ParameterName, 'Skip (and report) any input record larger than SIZE bytes (or KiB/MiB); memory use is bounded by it')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'POST the events to this event-hook endpoint (http or https)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Events per delivery')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The envelope `source` [default: the captured one, else `oksms-replay`]')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Send the secret from this environment variable in the auth header')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'The header that carries the secret')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra header, `Name: value` (repeatable). Not for secrets')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'A delivery without a 2xx answer within this time failed (`3s`, `500ms`)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries after a 5xx, a timeout or a connection failure (4xx is final)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Deliveries in flight at once (started in order)')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write each delivery''s outcome (and envelope, never headers) as NDJSON')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)')
            [CompletionResult]::new('--findings-format', '--findings-format', [CompletionResultType]::ParameterName, 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources')
            [CompletionResult]::new('--prefix-digits', '--prefix-digits', [CompletionResultType]::ParameterName, 'How many trailing digits the `prefix` key (the number range) drops')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--keep-ids', '--keep-ids', [CompletionResultType]::ParameterName, 'Reuse the captured deliveries'' `eventId`s (events captured together are sent together) to test a receiver''s de-duplication')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'First perform Okta''s verification GET and check the echoed challenge')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the deliveries (secrets redacted) instead of sending them')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before sending to a host other than this machine')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before sending to a host other than this machine')
            [CompletionResult]::new('--keep-duplicates', '--keep-duplicates', [CompletionResultType]::ParameterName, 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a hook for the SMS event (and --voice), printing its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the org''s event hooks: id, status, verification, URL, name (tab-separated, one a line)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Ask Okta to verify a hook (the listener must be answering at its URL)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a hook')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a hook (Okta stops delivering to it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a hook (deactivated first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;hook;create' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The https:// URL Okta delivers to (the listener''s address and --path)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The hook''s name in Okta')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Read the secret Okta sends with every delivery (the whole header value) from this environment variable')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'The header that carries the secret')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--voice', '--voice', [CompletionResultType]::ParameterName, 'Also subscribe to system.voice.send_phone_verification_call')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook;list' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook;verify' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook;activate' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook;deactivate' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook;delete' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;hook;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a hook for the SMS event (and --voice), printing its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the org''s event hooks: id, status, verification, URL, name (tab-separated, one a line)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Ask Okta to verify a hook (the listener must be answering at its URL)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a hook')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a hook (Okta stops delivering to it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a hook (deactivated first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;hook;help;create' {
            break
        }
        'oksms;hook;help;list' {
            break
        }
        'oksms;hook;help;verify' {
            break
        }
        'oksms;hook;help;activate' {
            break
        }
        'oksms;hook;help;deactivate' {
            break
        }
        'oksms;hook;help;delete' {
            break
        }
        'oksms;hook;help;help' {
            break
        }
        'oksms;config' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a profile (org, credentials) and check it with `oksms doctor`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;config;init' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile''s name (use it with `--profile NAME`) [default: default]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file holding the SSWS API token (its path is stored, not the token)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The OAuth service app''s client id')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (its path is stored)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the public key registered on the service app')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never ask, even on a terminal: every value comes from the flags')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing profile of the same name')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Do not run `oksms doctor` after writing the profile')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;config;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a profile (org, credentials) and check it with `oksms doctor`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;config;help;init' {
            break
        }
        'oksms;config;help;help' {
            break
        }
        'oksms;doctor' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Events per request (Okta''s maximum is 1000). A `watch` checkpoint keeps the size it was started with')
            [CompletionResult]::new('--rate-budget', '--rate-budget', [CompletionResultType]::ParameterName, 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h')
            [CompletionResult]::new('--max-page-size', '--max-page-size', [CompletionResultType]::ParameterName, 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB')
            [CompletionResult]::new('--max-rate-limit-wait', '--max-rate-limit-wait', [CompletionResultType]::ParameterName, 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the checks as a table or as JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the checks as a table or as JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oksms;help' {
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Pull the events from an Okta org''s System Log API (/api/v1/logs)')
            [CompletionResult]::new('parse', 'parse', [CompletionResultType]::ParameterValue, 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write a profile to oksms''s config file (`config init`), then check it')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the set-up: config, org, clock, credentials, permission, rate limit')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;help;fetch' {
            break
        }
        'oksms;help;parse' {
            break
        }
        'oksms;help;watch' {
            break
        }
        'oksms;help;replay' {
            break
        }
        'oksms;help;hook' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a hook for the SMS event (and --voice), printing its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the org''s event hooks: id, status, verification, URL, name (tab-separated, one a line)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Ask Okta to verify a hook (the listener must be answering at its URL)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a hook')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a hook (Okta stops delivering to it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a hook (deactivated first)')
            break
        }
        'oksms;help;hook;create' {
            break
        }
        'oksms;help;hook;list' {
            break
        }
        'oksms;help;hook;verify' {
            break
        }
        'oksms;help;hook;activate' {
            break
        }
        'oksms;help;hook;deactivate' {
            break
        }
        'oksms;help;hook;delete' {
            break
        }
        'oksms;help;config' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a profile (org, credentials) and check it with `oksms doctor`')
            break
        }
        'oksms;help;config;init' {
            break
        }
        'oksms;help;doctor' {
            break
        }
        'oksms;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
