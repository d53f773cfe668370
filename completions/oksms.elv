
use builtin;
use str;

set edit:completion:arg-completer[oksms] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'oksms'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'oksms'= {
            cand --color 'When to colour the table and messages'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand fetch 'Pull the events from an Okta org''s System Log API (/api/v1/logs)'
            cand parse 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin'
            cand watch 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks'
            cand replay 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order'
            cand generate 'Write the shell completions and man pages (for maintainers)'
            cand sim 'Run the simulated Okta org or write its generated events (for tests and demos)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;fetch'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml'
            cand --since 'Start of the range: RFC 3339 (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d) [default: --until minus 7 days]'
            cand --until 'End of the range: RFC 3339 or a duration back from now [default: now]'
            cand --user 'Only events whose target user has this login or id'
            cand --phone 'Only events sent to this phone number (compared by digits; without a leading + it may be the national part). Applied by oksms, since the number may be in debugData'
            cand --actor 'Only events whose actor has this login or id'
            cand --outcome 'Only events with this outcome'
            cand --filter 'A raw Okta filter expression, and-ed with the others (e.g. ''client.ipAddress eq "203.0.113.9"'')'
            cand --limit 'Stop after this many records; no further page is requested'
            cand --page-size 'Events per request (Okta''s maximum is 1000)'
            cand --rate-budget 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it'
            cand --retries 'Retries for 5xx answers, timeouts and dropped connections'
            cand --timeout 'Seconds before one request times out'
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings as NDJSON to FILE'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;parse'= {
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings as NDJSON to FILE'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --color 'When to colour the table and messages'
            cand --strict 'Stop at the first malformed record instead of skipping it'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;watch'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml'
            cand --since 'Where to start without a checkpoint: RFC 3339 or a duration back from now (15m, 24h, 7d) [default: 15m]. Ignored when --state holds a checkpoint'
            cand --interval 'Wait this long after a poll that brought nothing new (10s, 500ms, 2m; a plain number is seconds)'
            cand --archive 'Append every raw LogEvent received to FILE as NDJSON, fsynced before the checkpoint moves (`oksms parse FILE` reproduces the output). It is the raw evidence: --mask does not apply to it'
            cand --max-polls 'Stop (exit 0) after this many polls (pages fetched)'
            cand --page-size 'Events per request (Okta''s maximum is 1000). A checkpoint keeps the size it was started with'
            cand --rate-budget 'Use at most this percentage of the org''s rate-limit bucket'
            cand --retries 'Retries for 5xx answers, timeouts and dropped connections (per request)'
            cand --timeout 'Seconds before one request times out'
            cand --listen 'Receive Okta event hooks on ADDR (e.g. 127.0.0.1:8080; port 0 picks a free port, printed on stderr) instead of polling'
            cand --path 'The request path Okta''s hook registration points at'
            cand --secret-env 'Read the hook''s secret (the whole header value Okta sends, e.g. `Basic czNjcmV0`) from this environment variable. Required'
            cand --auth-header 'The header that carries the secret'
            cand --max-body 'Refuse bodies larger than SIZE with 413 (bytes, or with KiB/MiB)'
            cand --capture 'Append each delivery (envelope, redacted headers, receive time) as one NDJSON line to FILE, fsynced before the 200 answer. The file is valid input for `oksms parse` and `oksms replay`. It is the raw evidence: --mask does not apply to it'
            cand --state 'Keep the de-duplication memory (and, when polling, the checkpoint) in FILE across restarts; written atomically'
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings as NDJSON to FILE'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --every 'With --group-by: print the summary again this often (10s, 5m, 1h); on a terminal it is redrawn in place, also when records arrive'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand --exit-when-idle 'Stop (exit 0) at the first poll that brings nothing new: drains what is there and ends, e.g. for a cron job with --state'
            cand --reset-state 'Start over: ignore an existing --state file (it is replaced)'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;replay'= {
            cand --only-failed 'Re-send only the failed deliveries of an earlier `--report` file'
            cand --speed 'Keep the original spacing of `published`, N times faster (1 = real time)'
            cand --rate 'Send (or print) at a fixed rate instead, e.g. `10/s` or `120/min`'
            cand --from 'Only events published at or after this RFC 3339 time'
            cand --until 'Only events published before this RFC 3339 time'
            cand --to 'POST the events to this event-hook endpoint (http or https)'
            cand --batch 'Events per delivery'
            cand --source 'The envelope `source` [default: the captured one, else `oksms-replay`]'
            cand --secret-env 'Send the secret from this environment variable in the auth header'
            cand --auth-header 'The header that carries the secret'
            cand --header 'An extra header, `Name: value` (repeatable). Not for secrets'
            cand --timeout 'A delivery without a 2xx answer within this time failed (`3s`, `500ms`)'
            cand --retries 'Retries after a 5xx, a timeout or a connection failure (4xx is final)'
            cand --concurrency 'Deliveries in flight at once (started in order)'
            cand --report 'Write each delivery''s outcome (and envelope, never headers) as NDJSON'
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings as NDJSON to FILE'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --color 'When to colour the table and messages'
            cand --keep-ids 'Reuse the captured deliveries'' `eventId`s (events captured together are sent together) to test a receiver''s de-duplication'
            cand --verify 'First perform Okta''s verification GET and check the echoed challenge'
            cand --dry-run 'Print the deliveries (secrets redacted) instead of sending them'
            cand -y 'Do not ask before sending to a host other than this machine'
            cand --yes 'Do not ask before sending to a host other than this machine'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;generate'= {
            cand --root 'The repository root that holds `completions/` and `man/`'
            cand --color 'When to colour the table and messages'
            cand --check 'Only check that the committed files match; exit 1 when they drift'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;sim'= {
            cand --color 'When to colour the table and messages'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr'
            cand generate 'Write generated LogEvents to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;sim;serve'= {
            cand --port 'Port on 127.0.0.1 (0 picks a free one)'
            cand --events 'Events the org holds at the start'
            cand --seed 'Seed of the event generator'
            cand --rate-limit 'The /api/v1/logs bucket per minute'
            cand --token-cap-percent 'Cap one token to this percentage of the bucket'
            cand --clock-skew 'Run the org''s clock (and Date header) this many seconds ahead (negative: behind)'
            cand --late-events 'How many of the events persist two minutes late'
            cand --latency-ms 'Added latency per /api/v1/logs response, in milliseconds'
            cand --token-env 'Name of the environment variable holding the SSWS token to accept'
            cand --client-id 'Register a service app with this client id (needs --public-key)'
            cand --public-key 'The service app''s public key (PEM file, RSA or EC)'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Issue DPoP-bound tokens to the service app'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;sim;generate'= {
            cand --count 'How many events'
            cand --seed 'Seed (same seed, same events)'
            cand --format 'Output shape'
            cand --end 'The events end before this instant (RFC 3339)'
            cand --span-days 'The events span this many days before --end'
            cand --color 'When to colour the table and messages'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;sim;help'= {
            cand serve 'Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr'
            cand generate 'Write generated LogEvents to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;sim;help;serve'= {
        }
        &'oksms;sim;help;generate'= {
        }
        &'oksms;sim;help;help'= {
        }
        &'oksms;help'= {
            cand fetch 'Pull the events from an Okta org''s System Log API (/api/v1/logs)'
            cand parse 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin'
            cand watch 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks'
            cand replay 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order'
            cand generate 'Write the shell completions and man pages (for maintainers)'
            cand sim 'Run the simulated Okta org or write its generated events (for tests and demos)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;help;fetch'= {
        }
        &'oksms;help;parse'= {
        }
        &'oksms;help;watch'= {
        }
        &'oksms;help;replay'= {
        }
        &'oksms;help;generate'= {
        }
        &'oksms;help;sim'= {
            cand serve 'Serve a simulated org on 127.0.0.1 until Ctrl-C; its URL goes to stderr'
            cand generate 'Write generated LogEvents to stdout'
        }
        &'oksms;help;sim;serve'= {
        }
        &'oksms;help;sim;generate'= {
        }
        &'oksms;help;help'= {
        }
    ]
    $completions[$command]
}
