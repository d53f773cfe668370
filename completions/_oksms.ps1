
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
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the shell completions and man pages (for maintainers)')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run the simulated Okta org or write its generated events (for tests and demos)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;fetch' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the range: RFC 3339 (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d) [default: --until minus 7 days]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the range: RFC 3339 or a duration back from now [default: now]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events whose target user has this login or id')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'Only events sent to this phone number (compared by digits; without a leading + it may be the national part). Applied by oksms, since the number may be in debugData')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only events whose actor has this login or id')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events with this outcome')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A raw Okta filter expression, and-ed with the others (e.g. ''client.ipAddress eq "203.0.113.9"'')')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Stop after this many records; no further page is requested')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Events per request (Okta''s maximum is 1000)')
            [CompletionResult]::new('--rate-budget', '--rate-budget', [CompletionResultType]::ParameterName, 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for 5xx answers, timeouts and dropped connections')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds before one request times out')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings as NDJSON to FILE')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
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
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings as NDJSON to FILE')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop at the first malformed record instead of skipping it')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
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
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Where to start without a checkpoint: RFC 3339 or a duration back from now (15m, 24h, 7d) [default: 15m]. Ignored when --state holds a checkpoint')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Wait this long after a poll that brought nothing new (10s, 500ms, 2m; a plain number is seconds)')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every raw LogEvent received to FILE as NDJSON, fsynced before the checkpoint moves (`oksms parse FILE` reproduces the output). It is the raw evidence: --mask does not apply to it')
            [CompletionResult]::new('--max-polls', '--max-polls', [CompletionResultType]::ParameterName, 'Stop (exit 0) after this many polls (pages fetched)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Events per request (Okta''s maximum is 1000). A checkpoint keeps the size it was started with')
            [CompletionResult]::new('--rate-budget', '--rate-budget', [CompletionResultType]::ParameterName, 'Use at most this percentage of the org''s rate-limit bucket')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for 5xx answers, timeouts and dropped connections (per request)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds before one request times out')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Receive Okta event hooks on ADDR (e.g. 127.0.0.1:8080; port 0 picks a free port, printed on stderr) instead of polling')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The request path Okta''s hook registration points at')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Read the hook''s secret (the whole header value Okta sends, e.g. `Basic czNjcmV0`) from this environment variable. Required')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'The header that carries the secret')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Refuse bodies larger than SIZE with 413 (bytes, or with KiB/MiB)')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Append each delivery (envelope, redacted headers, receive time) as one NDJSON line to FILE, fsynced before the 200 answer. The file is valid input for `oksms parse` and `oksms replay`. It is the raw evidence: --mask does not apply to it')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Keep the de-duplication memory (and, when polling, the checkpoint) in FILE across restarts; written atomically')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep only the first N groups (the largest, by default)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings as NDJSON to FILE')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'With --group-by: print the summary again this often (10s, 5m, 1h); on a terminal it is redrawn in place, also when records arrive')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)')
            [CompletionResult]::new('--exit-when-idle', '--exit-when-idle', [CompletionResultType]::ParameterName, 'Stop (exit 0) at the first poll that brings nothing new: drains what is there and ends, e.g. for a cron job with --state')
            [CompletionResult]::new('--reset-state', '--reset-state', [CompletionResultType]::ParameterName, 'Start over: ignore an existing --state file (it is replaced)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
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
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only events published at or after this RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events published before this RFC 3339 time')
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
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Also write the findings as NDJSON to FILE')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--keep-ids', '--keep-ids', [CompletionResultType]::ParameterName, 'Reuse the captured deliveries'' `eventId`s (events captured together are sent together) to test a receiver''s de-duplication')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'First perform Okta''s verification GET and check the echoed challenge')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the deliveries (secrets redacted) instead of sending them')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before sending to a host other than this machine')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before sending to a host other than this machine')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show more columns in the table')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Leave out the CSV header row')
            [CompletionResult]::new('--csv-safe', '--csv-safe', [CompletionResultType]::ParameterName, 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show table times in UTC (the default)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show table times in the local time zone')
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
        'oksms;generate' {
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'The repository root that holds `completions/` and `man/`')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Only check that the committed files match; exit 1 when they drift')
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
        'oksms;sim' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr: skipped event types, each request, rate-limit state')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say only errors on stderr (no progress, no notes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write generated LogEvents to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;sim;serve' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port on 127.0.0.1 (0 picks a free one)')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Events the org holds at the start')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the event generator')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'The /api/v1/logs bucket per minute')
            [CompletionResult]::new('--token-cap-percent', '--token-cap-percent', [CompletionResultType]::ParameterName, 'Cap one token to this percentage of the bucket')
            [CompletionResult]::new('--clock-skew', '--clock-skew', [CompletionResultType]::ParameterName, 'Run the org''s clock (and Date header) this many seconds ahead (negative: behind)')
            [CompletionResult]::new('--late-events', '--late-events', [CompletionResultType]::ParameterName, 'How many of the events persist two minutes late')
            [CompletionResult]::new('--latency-ms', '--latency-ms', [CompletionResultType]::ParameterName, 'Added latency per /api/v1/logs response, in milliseconds')
            [CompletionResult]::new('--token-env', '--token-env', [CompletionResultType]::ParameterName, 'Name of the environment variable holding the SSWS token to accept')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Register a service app with this client id (needs --public-key)')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'The service app''s public key (PEM file, RSA or EC)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Issue DPoP-bound tokens to the service app')
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
        'oksms;sim;generate' {
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many events')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed (same seed, same events)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output shape')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'The events end before this instant (RFC 3339)')
            [CompletionResult]::new('--span-days', '--span-days', [CompletionResultType]::ParameterName, 'The events span this many days before --end')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table and messages')
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
        'oksms;sim;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write generated LogEvents to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oksms;sim;help;serve' {
            break
        }
        'oksms;sim;help;generate' {
            break
        }
        'oksms;sim;help;help' {
            break
        }
        'oksms;help' {
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Pull the events from an Okta org''s System Log API (/api/v1/logs)')
            [CompletionResult]::new('parse', 'parse', [CompletionResultType]::ParameterValue, 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the shell completions and man pages (for maintainers)')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run the simulated Okta org or write its generated events (for tests and demos)')
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
        'oksms;help;generate' {
            break
        }
        'oksms;help;sim' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write generated LogEvents to stdout')
            break
        }
        'oksms;help;sim;serve' {
            break
        }
        'oksms;help;sim;generate' {
            break
        }
        'oksms;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
