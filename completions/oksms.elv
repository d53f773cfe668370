
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
            cand hook 'Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API)'
            cand config 'Write a profile to oksms''s config file (`config init`), then check it'
            cand doctor 'Check the set-up: config, org, clock, credentials, permission, rate limit'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;fetch'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --page-size 'Events per request (Okta''s maximum is 1000). A `watch` checkpoint keeps the size it was started with'
            cand --rate-budget 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it'
            cand --retries 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)'
            cand --timeout 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h'
            cand --max-page-size 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB'
            cand --max-rate-limit-wait 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)'
            cand --since 'Start of the range: a time (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d, 2w) [default: --until minus 7 days]'
            cand --until 'End of the range: a time, `now` or a duration back from now [default: now]'
            cand --user 'Only events whose target user has this login or id'
            cand --phone 'Only events sent to this phone number (compared by digits; without a leading + it may be the national part). Applied by oksms, since the number may be in debugData'
            cand --actor 'Only events whose actor has this login or id'
            cand --outcome 'Only events with this outcome'
            cand --filter 'A raw Okta filter expression, and-ed with the others (e.g. ''client.ipAddress eq "203.0.113.9"'')'
            cand --limit 'Stop after this many records; no further page is requested'
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)'
            cand --findings-format 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)'
            cand --baseline 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had'
            cand --preset 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources'
            cand --prefix-digits 'How many trailing digits the `prefix` key (the number range) drops'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --report 'Also write a report to FILE: `.html` (one self-contained page with charts, for a browser or print) or `.md` (Markdown tables, e.g. for `$GITHUB_STEP_SUMMARY`), written when the run ends'
            cand --baseline-since 'Fetch this span of the System Log before the range (`30d`) as the baseline of `new KEY` rules (`--alert ''new region''`), read as `--baseline FILE` would be; same event types and API filters'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand --all-profiles 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")'
            cand --keep-duplicates 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand --explain 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
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
            cand --max-record-size 'Skip (and report) any record larger than SIZE bytes (or KiB/MiB); memory use is bounded by it'
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)'
            cand --findings-format 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)'
            cand --baseline 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had'
            cand --preset 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources'
            cand --prefix-digits 'How many trailing digits the `prefix` key (the number range) drops'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --report 'Also write a report to FILE: `.html` (one self-contained page with charts, for a browser or print) or `.md` (Markdown tables, e.g. for `$GITHUB_STEP_SUMMARY`), written when the run ends'
            cand --color 'When to colour the table and messages'
            cand --strict 'Stop at the first malformed record instead of skipping it'
            cand --keep-duplicates 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand --explain 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
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
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --page-size 'Events per request (Okta''s maximum is 1000). A `watch` checkpoint keeps the size it was started with'
            cand --rate-budget 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it'
            cand --retries 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)'
            cand --timeout 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h'
            cand --max-page-size 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB'
            cand --max-rate-limit-wait 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)'
            cand --since 'Where to start without a checkpoint: a time (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d, 2w) [default: 15m]. Ignored when --state holds a checkpoint'
            cand --interval 'Wait this long after a short page, when the log is caught up (10s, 500ms, 2m, 1h; a bare number is seconds; 10ms to 24h)'
            cand --archive 'Append every raw LogEvent received to FILE as NDJSON, fsynced before the checkpoint moves (`oksms parse FILE` reproduces the output). It is the raw evidence: --mask does not apply to it'
            cand --max-polls 'Stop (exit 0) after this many polls (pages fetched)'
            cand --listen 'Receive Okta event hooks on ADDR (e.g. 127.0.0.1:8080; port 0 picks a free port, printed on stderr) instead of polling'
            cand --path 'The request path Okta''s hook registration points at'
            cand --secret-env 'Read the hook''s secret (the whole header value Okta sends, e.g. `Basic czNjcmV0`) from this environment variable. Required'
            cand --auth-header 'The header that carries the secret'
            cand --max-body 'Refuse bodies larger than SIZE with 413 (bytes, or with KiB/MiB)'
            cand --capture 'Append each delivery (envelope, redacted headers, receive time) as one NDJSON line to FILE, fsynced before the 200 answer. The file is valid input for `oksms parse` and `oksms replay`. It is the raw evidence: --mask does not apply to it'
            cand --max-connections 'Keep at most N connections open at once; more wait to be accepted. Lowered (with a warning) to stay below the open-file limit'
            cand --header-timeout 'Close a connection whose request headers are not complete within DURATION (Okta sends a whole delivery within 3s)'
            cand --body-timeout 'Answer 408 to a delivery whose body is not complete within DURATION after its headers'
            cand --idle-timeout 'Close a connection that moved no bytes and had no request in progress for DURATION (keep-alive idle, a client not reading)'
            cand --tls-cert 'Serve HTTPS with this PEM certificate chain (leaf first, e.g. certbot''s fullchain.pem); reloaded on SIGHUP. Okta only calls https:// URLs: without TLS, put a TLS proxy in front'
            cand --tls-key 'The PEM private key of --tls-cert (PKCS#8, RSA or EC)'
            cand --register 'On start, make Okta deliver here: reuse the org''s event hook for this https:// URL or create one (for the SMS event, with the --secret-env secret in --auth-header), and verify it while the listener answers. Needs the org and credentials (--org, token or service app with scope okta.eventHooks.manage)'
            cand --state 'Keep the de-duplication memory (and, when polling, the checkpoint) in FILE across restarts; written atomically'
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --group-by 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`'
            cand --sort 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]'
            cand --top 'Keep only the first N groups (the largest, by default)'
            cand --alert 'Alert rule, e.g. ''users-per-phone > 1''; exit code 3 when it fires'
            cand --findings 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)'
            cand --findings-format 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)'
            cand --baseline 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had'
            cand --preset 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources'
            cand --prefix-digits 'How many trailing digits the `prefix` key (the number range) drops'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --every 'With --group-by: print the summary again this often (10s, 5m, 1h); on a terminal it is redrawn in place, also when records arrive'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand --all-profiles 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")'
            cand --exit-when-idle 'Stop (exit 0) at the first poll that is caught up (a short page): drains what is there and ends, e.g. for a cron job with --state'
            cand --deregister-on-exit 'With --register: deactivate the hook on SIGINT/SIGTERM (Okta then stops delivering; it keeps no backlog for an inactive hook)'
            cand --reset-state 'Start over: ignore an existing --state file (it is replaced)'
            cand --keep-duplicates 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand --explain 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
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
            cand --from 'Only events published at or after this time (2024-05-01T12:00:00Z, or a duration back from now: 6h, 2d)'
            cand --until 'Only events published before this time (as --from; also `now`)'
            cand --max-record-size 'Skip (and report) any input record larger than SIZE bytes (or KiB/MiB); memory use is bounded by it'
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
            cand --findings 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)'
            cand --findings-format 'The `--findings` file''s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)'
            cand --baseline 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert ''new region''` fires for a send to a region these events never had'
            cand --preset 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources'
            cand --prefix-digits 'How many trailing digits the `prefix` key (the number range) drops'
            cand --mask 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output'
            cand --color 'When to colour the table and messages'
            cand --keep-ids 'Reuse the captured deliveries'' `eventId`s (events captured together are sent together) to test a receiver''s de-duplication'
            cand --verify 'First perform Okta''s verification GET and check the echoed challenge'
            cand --dry-run 'Print the deliveries (secrets redacted) instead of sending them'
            cand -y 'Do not ask before sending to a host other than this machine'
            cand --yes 'Do not ask before sending to a host other than this machine'
            cand --keep-duplicates 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
            cand --csv-safe 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `''` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
            cand --utc 'Show table times in UTC (the default)'
            cand --local 'Show table times in the local time zone'
            cand --explain 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook'= {
            cand --color 'When to colour the table and messages'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a hook for the SMS event (and --voice), printing its id'
            cand list 'List the org''s event hooks: id, status, verification, URL, name (tab-separated, one a line)'
            cand verify 'Ask Okta to verify a hook (the listener must be answering at its URL)'
            cand activate 'Activate a hook'
            cand deactivate 'Deactivate a hook (Okta stops delivering to it)'
            cand delete 'Delete a hook (deactivated first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;hook;create'= {
            cand --url 'The https:// URL Okta delivers to (the listener''s address and --path)'
            cand --name 'The hook''s name in Okta'
            cand --secret-env 'Read the secret Okta sends with every delivery (the whole header value) from this environment variable'
            cand --auth-header 'The header that carries the secret'
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --color 'When to colour the table and messages'
            cand --voice 'Also subscribe to system.voice.send_phone_verification_call'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook;list'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook;verify'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook;activate'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook;deactivate'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook;delete'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;hook;help'= {
            cand create 'Create a hook for the SMS event (and --voice), printing its id'
            cand list 'List the org''s event hooks: id, status, verification, URL, name (tab-separated, one a line)'
            cand verify 'Ask Okta to verify a hook (the listener must be answering at its URL)'
            cand activate 'Activate a hook'
            cand deactivate 'Deactivate a hook (Okta stops delivering to it)'
            cand delete 'Delete a hook (deactivated first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;hook;help;create'= {
        }
        &'oksms;hook;help;list'= {
        }
        &'oksms;hook;help;verify'= {
        }
        &'oksms;hook;help;activate'= {
        }
        &'oksms;hook;help;deactivate'= {
        }
        &'oksms;hook;help;delete'= {
        }
        &'oksms;hook;help;help'= {
        }
        &'oksms;config'= {
            cand --color 'When to colour the table and messages'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a profile (org, credentials) and check it with `oksms doctor`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;config;init'= {
            cand --profile 'The profile''s name (use it with `--profile NAME`) [default: default]'
            cand --org 'The Okta org URL, e.g. https://acme.okta.com'
            cand --token-file 'The file holding the SSWS API token (its path is stored, not the token)'
            cand --client-id 'The OAuth service app''s client id'
            cand --private-key 'The service app''s private key, a PEM file (its path is stored)'
            cand --key-id 'The `kid` of the public key registered on the service app'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request'
            cand --no-input 'Never ask, even on a terminal: every value comes from the flags'
            cand --force 'Replace an existing profile of the same name'
            cand --no-check 'Do not run `oksms doctor` after writing the profile'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;config;help'= {
            cand init 'Write a profile (org, credentials) and check it with `oksms doctor`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;config;help;init'= {
        }
        &'oksms;config;help;help'= {
        }
        &'oksms;doctor'= {
            cand --org 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]'
            cand --token-file 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]'
            cand --client-id 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]'
            cand --private-key 'The service app''s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]'
            cand --key-id 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]'
            cand --profile 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one'
            cand --page-size 'Events per request (Okta''s maximum is 1000). A `watch` checkpoint keeps the size it was started with'
            cand --rate-budget 'Use at most this percentage of the org''s rate-limit bucket, shared with every other API client; wait for the reset beyond it'
            cand --retries 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)'
            cand --timeout 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h'
            cand --max-page-size 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB'
            cand --max-rate-limit-wait 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)'
            cand -o 'Print the checks as a table or as JSON for scripts'
            cand --output 'Print the checks as a table or as JSON for scripts'
            cand --color 'When to colour the table and messages'
            cand --dpop 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
            cand --all-profiles 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")'
            cand -v 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand --verbose 'Say more on stderr: skipped event types, each request, rate-limit state'
            cand -q 'Say only errors on stderr (no progress, no notes)'
            cand --quiet 'Say only errors on stderr (no progress, no notes)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oksms;help'= {
            cand fetch 'Pull the events from an Okta org''s System Log API (/api/v1/logs)'
            cand parse 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin'
            cand watch 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks'
            cand replay 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order'
            cand hook 'Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API)'
            cand config 'Write a profile to oksms''s config file (`config init`), then check it'
            cand doctor 'Check the set-up: config, org, clock, credentials, permission, rate limit'
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
        &'oksms;help;hook'= {
            cand create 'Create a hook for the SMS event (and --voice), printing its id'
            cand list 'List the org''s event hooks: id, status, verification, URL, name (tab-separated, one a line)'
            cand verify 'Ask Okta to verify a hook (the listener must be answering at its URL)'
            cand activate 'Activate a hook'
            cand deactivate 'Deactivate a hook (Okta stops delivering to it)'
            cand delete 'Delete a hook (deactivated first)'
        }
        &'oksms;help;hook;create'= {
        }
        &'oksms;help;hook;list'= {
        }
        &'oksms;help;hook;verify'= {
        }
        &'oksms;help;hook;activate'= {
        }
        &'oksms;help;hook;deactivate'= {
        }
        &'oksms;help;hook;delete'= {
        }
        &'oksms;help;config'= {
            cand init 'Write a profile (org, credentials) and check it with `oksms doctor`'
        }
        &'oksms;help;config;init'= {
        }
        &'oksms;help;doctor'= {
        }
        &'oksms;help;help'= {
        }
    ]
    $completions[$command]
}
