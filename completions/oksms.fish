# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_oksms_global_optspecs
    string join \n color= v/verbose q/quiet h/help V/version
end

function __fish_oksms_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_oksms_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_oksms_using_subcommand
    set -l cmd (__fish_oksms_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c oksms -n "__fish_oksms_needs_command" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_needs_command" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_needs_command" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_needs_command" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "fetch" -d 'Pull the events from an Okta org\'s System Log API (/api/v1/logs)'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "parse" -d 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "watch" -d 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "replay" -d 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "hook" -d 'Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API)'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "config" -d 'Write a profile to oksms\'s config file (`config init`), then check it'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "doctor" -d 'Check the set-up: config, org, clock, credentials, permission, rate limit'
complete -c oksms -n "__fish_oksms_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l page-size -d 'Events per request (Okta\'s maximum is 1000). A `watch` checkpoint keeps the size it was started with' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l rate-budget -d 'Use at most this percentage of the org\'s rate-limit bucket, shared with every other API client; wait for the reset beyond it' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l retries -d 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l timeout -d 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l max-page-size -d 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l max-rate-limit-wait -d 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l since -d 'Start of the range: a time (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d, 2w) [default: --until minus 7 days]' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l until -d 'End of the range: a time, `now` or a duration back from now [default: now]' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l user -d 'Only events whose target user has this login or id' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l phone -d 'Only events sent to this phone number (compared by digits; without a leading + it may be the national part). Applied by oksms, since the number may be in debugData' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l actor -d 'Only events whose actor has this login or id' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l outcome -d 'Only events with this outcome' -r -f -a "SUCCESS\t''
DENY\t''
FAILURE\t''"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l filter -d 'A raw Okta filter expression, and-ed with the others (e.g. \'client.ipAddress eq "203.0.113.9"\')' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l limit -d 'Stop after this many records; no further page is requested' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l event-type -d 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array (streamed: one record per line inside it)'
ndjson\t'One JSON object per line (the default when stdout is not a terminal)'
csv\t'RFC 4180 CSV with a header row'"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l fields -d 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l group-by -d 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`' -r -f -a "phone\t'The phone number, normalised to E.164'
user\t'The Okta user (login)'
actor\t'The actor (login or id)'
country\t'The country calling code'
ip\t'The client IP address'
provider\t'The SMS provider'
outcome\t'The outcome (SUCCESS, DENY, ...)'
day\t'The UTC day of `published`'
hour\t'The UTC hour of `published`'
region\t'The phone number\'s region, ISO 3166-1 alpha-2 (`US`, `JM`, ...)'
line_type\t'The phone number\'s line type (`mobile`, `premium_rate`, ...)'
prefix\t'The number range: the E.164 number without its last `--prefix-digits` digits'
valid\t'Whether the number is valid in its numbering plan (`true`/`false`)'
org\t'The org the record came from: the origin (`https://acme.okta.com`) of its `source` (`fetch` and `watch` of several orgs: the org URL; event-hook envelopes: the hook\'s URL)'"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l sort -d 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l top -d 'Keep only the first N groups (the largest, by default)' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l alert -d 'Alert rule, e.g. \'users-per-phone > 1\'; exit code 3 when it fires' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l findings -d 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l findings-format -d 'The `--findings` file\'s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)' -r -f -a "ndjson\t'One JSON object per finding, one per line'
junit\t'JUnit XML: one test case per rule, a failure per finding'"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l baseline -d 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert \'new region\'` fires for a send to a region these events never had' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l preset -d 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources' -r -f -a "toll-fraud\t'Toll fraud (IRSF) and SMS pumping: Okta\'s top toll-fraud destinations, premium-rate/shared-cost and invalid numbers, bursts to a number range, to one phone, and of DENY outcomes'"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l prefix-digits -d 'How many trailing digits the `prefix` key (the number range) drops' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l mask -d 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output' -r -f -a "phones\t'Phone numbers'
users\t'Logins and user names'
all\t'Both'"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l report -d 'Also write a report to FILE: `.html` (one self-contained page with charts, for a browser or print) or `.md` (Markdown tables, e.g. for `$GITHUB_STEP_SUMMARY`), written when the run ends' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l baseline-since -d 'Fetch this span of the System Log before the range (`30d`) as the baseline of `new KEY` rules (`--alert \'new region\'`), read as `--baseline FILE` would be; same event types and API filters' -r
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l all-profiles -d 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l keep-duplicates -d 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l wide -d 'Show more columns in the table'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l no-header -d 'Leave out the CSV header row'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l csv-safe -d 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `\'` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l utc -d 'Show table times in UTC (the default)'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l local -d 'Show table times in the local time zone'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -l explain -d 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand fetch" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l max-record-size -d 'Skip (and report) any record larger than SIZE bytes (or KiB/MiB); memory use is bounded by it' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l event-type -d 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array (streamed: one record per line inside it)'
ndjson\t'One JSON object per line (the default when stdout is not a terminal)'
csv\t'RFC 4180 CSV with a header row'"
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l fields -d 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l group-by -d 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`' -r -f -a "phone\t'The phone number, normalised to E.164'
user\t'The Okta user (login)'
actor\t'The actor (login or id)'
country\t'The country calling code'
ip\t'The client IP address'
provider\t'The SMS provider'
outcome\t'The outcome (SUCCESS, DENY, ...)'
day\t'The UTC day of `published`'
hour\t'The UTC hour of `published`'
region\t'The phone number\'s region, ISO 3166-1 alpha-2 (`US`, `JM`, ...)'
line_type\t'The phone number\'s line type (`mobile`, `premium_rate`, ...)'
prefix\t'The number range: the E.164 number without its last `--prefix-digits` digits'
valid\t'Whether the number is valid in its numbering plan (`true`/`false`)'
org\t'The org the record came from: the origin (`https://acme.okta.com`) of its `source` (`fetch` and `watch` of several orgs: the org URL; event-hook envelopes: the hook\'s URL)'"
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l sort -d 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l top -d 'Keep only the first N groups (the largest, by default)' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l alert -d 'Alert rule, e.g. \'users-per-phone > 1\'; exit code 3 when it fires' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l findings -d 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l findings-format -d 'The `--findings` file\'s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)' -r -f -a "ndjson\t'One JSON object per finding, one per line'
junit\t'JUnit XML: one test case per rule, a failure per finding'"
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l baseline -d 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert \'new region\'` fires for a send to a region these events never had' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l preset -d 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources' -r -f -a "toll-fraud\t'Toll fraud (IRSF) and SMS pumping: Okta\'s top toll-fraud destinations, premium-rate/shared-cost and invalid numbers, bursts to a number range, to one phone, and of DENY outcomes'"
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l prefix-digits -d 'How many trailing digits the `prefix` key (the number range) drops' -r
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l mask -d 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output' -r -f -a "phones\t'Phone numbers'
users\t'Logins and user names'
all\t'Both'"
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l report -d 'Also write a report to FILE: `.html` (one self-contained page with charts, for a browser or print) or `.md` (Markdown tables, e.g. for `$GITHUB_STEP_SUMMARY`), written when the run ends' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l strict -d 'Stop at the first malformed record instead of skipping it'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l keep-duplicates -d 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l wide -d 'Show more columns in the table'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l no-header -d 'Leave out the CSV header row'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l csv-safe -d 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `\'` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l utc -d 'Show table times in UTC (the default)'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l local -d 'Show table times in the local time zone'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -l explain -d 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand parse" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l page-size -d 'Events per request (Okta\'s maximum is 1000). A `watch` checkpoint keeps the size it was started with' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l rate-budget -d 'Use at most this percentage of the org\'s rate-limit bucket, shared with every other API client; wait for the reset beyond it' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l retries -d 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l timeout -d 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l max-page-size -d 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l max-rate-limit-wait -d 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l since -d 'Where to start without a checkpoint: a time (2024-05-01T00:00:00Z) or a duration back from now (15m, 24h, 7d, 2w) [default: 15m]. Ignored when --state holds a checkpoint' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l interval -d 'Wait this long after a short page, when the log is caught up (10s, 500ms, 2m, 1h; a bare number is seconds; 10ms to 24h)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l archive -d 'Append every raw LogEvent received to FILE as NDJSON, fsynced before the checkpoint moves (`oksms parse FILE` reproduces the output). It is the raw evidence: --mask does not apply to it' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l max-polls -d 'Stop (exit 0) after this many polls (pages fetched)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l listen -d 'Receive Okta event hooks on ADDR (e.g. 127.0.0.1:8080; port 0 picks a free port, printed on stderr) instead of polling' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l path -d 'The request path Okta\'s hook registration points at' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l secret-env -d 'Read the hook\'s secret (the whole header value Okta sends, e.g. `Basic czNjcmV0`) from this environment variable. Required' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l auth-header -d 'The header that carries the secret' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l max-body -d 'Refuse bodies larger than SIZE with 413 (bytes, or with KiB/MiB)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l capture -d 'Append each delivery (envelope, redacted headers, receive time) as one NDJSON line to FILE, fsynced before the 200 answer. The file is valid input for `oksms parse` and `oksms replay`. It is the raw evidence: --mask does not apply to it' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l max-connections -d 'Keep at most N connections open at once; more wait to be accepted. Lowered (with a warning) to stay below the open-file limit' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l header-timeout -d 'Close a connection whose request headers are not complete within DURATION (Okta sends a whole delivery within 3s)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l body-timeout -d 'Answer 408 to a delivery whose body is not complete within DURATION after its headers' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l idle-timeout -d 'Close a connection that moved no bytes and had no request in progress for DURATION (keep-alive idle, a client not reading)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l tls-cert -d 'Serve HTTPS with this PEM certificate chain (leaf first, e.g. certbot\'s fullchain.pem); reloaded on SIGHUP. Okta only calls https:// URLs: without TLS, put a TLS proxy in front' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l tls-key -d 'The PEM private key of --tls-cert (PKCS#8, RSA or EC)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l register -d 'On start, make Okta deliver here: reuse the org\'s event hook for this https:// URL or create one (for the SMS event, with the --secret-env secret in --auth-header), and verify it while the listener answers. Needs the org and credentials (--org, token or service app with scope okta.eventHooks.manage)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l state -d 'Keep the de-duplication memory (and, when polling, the checkpoint) in FILE across restarts; written atomically' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l event-type -d 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array (streamed: one record per line inside it)'
ndjson\t'One JSON object per line (the default when stdout is not a terminal)'
csv\t'RFC 4180 CSV with a header row'"
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l fields -d 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l group-by -d 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`' -r -f -a "phone\t'The phone number, normalised to E.164'
user\t'The Okta user (login)'
actor\t'The actor (login or id)'
country\t'The country calling code'
ip\t'The client IP address'
provider\t'The SMS provider'
outcome\t'The outcome (SUCCESS, DENY, ...)'
day\t'The UTC day of `published`'
hour\t'The UTC hour of `published`'
region\t'The phone number\'s region, ISO 3166-1 alpha-2 (`US`, `JM`, ...)'
line_type\t'The phone number\'s line type (`mobile`, `premium_rate`, ...)'
prefix\t'The number range: the E.164 number without its last `--prefix-digits` digits'
valid\t'Whether the number is valid in its numbering plan (`true`/`false`)'
org\t'The org the record came from: the origin (`https://acme.okta.com`) of its `source` (`fetch` and `watch` of several orgs: the org URL; event-hook envelopes: the hook\'s URL)'"
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l sort -d 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l top -d 'Keep only the first N groups (the largest, by default)' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l alert -d 'Alert rule, e.g. \'users-per-phone > 1\'; exit code 3 when it fires' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l findings -d 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l findings-format -d 'The `--findings` file\'s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)' -r -f -a "ndjson\t'One JSON object per finding, one per line'
junit\t'JUnit XML: one test case per rule, a failure per finding'"
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l baseline -d 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert \'new region\'` fires for a send to a region these events never had' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l preset -d 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources' -r -f -a "toll-fraud\t'Toll fraud (IRSF) and SMS pumping: Okta\'s top toll-fraud destinations, premium-rate/shared-cost and invalid numbers, bursts to a number range, to one phone, and of DENY outcomes'"
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l prefix-digits -d 'How many trailing digits the `prefix` key (the number range) drops' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l mask -d 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output' -r -f -a "phones\t'Phone numbers'
users\t'Logins and user names'
all\t'Both'"
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l every -d 'With --group-by: print the summary again this often (10s, 5m, 1h); on a terminal it is redrawn in place, also when records arrive' -r
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l all-profiles -d 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l exit-when-idle -d 'Stop (exit 0) at the first poll that is caught up (a short page): drains what is there and ends, e.g. for a cron job with --state'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l deregister-on-exit -d 'With --register: deactivate the hook on SIGINT/SIGTERM (Okta then stops delivering; it keeps no backlog for an inactive hook)'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l reset-state -d 'Start over: ignore an existing --state file (it is replaced)'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l keep-duplicates -d 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l wide -d 'Show more columns in the table'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l no-header -d 'Leave out the CSV header row'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l csv-safe -d 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `\'` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l utc -d 'Show table times in UTC (the default)'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l local -d 'Show table times in the local time zone'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -l explain -d 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand watch" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l only-failed -d 'Re-send only the failed deliveries of an earlier `--report` file' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l speed -d 'Keep the original spacing of `published`, N times faster (1 = real time)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l rate -d 'Send (or print) at a fixed rate instead, e.g. `10/s` or `120/min`' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l from -d 'Only events published at or after this time (2024-05-01T12:00:00Z, or a duration back from now: 6h, 2d)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l until -d 'Only events published before this time (as --from; also `now`)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l max-record-size -d 'Skip (and report) any input record larger than SIZE bytes (or KiB/MiB); memory use is bounded by it' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l to -d 'POST the events to this event-hook endpoint (http or https)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l batch -d 'Events per delivery' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l source -d 'The envelope `source` [default: the captured one, else `oksms-replay`]' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l secret-env -d 'Send the secret from this environment variable in the auth header' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l auth-header -d 'The header that carries the secret' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l header -d 'An extra header, `Name: value` (repeatable). Not for secrets' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l timeout -d 'A delivery without a 2xx answer within this time failed (`3s`, `500ms`)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l retries -d 'Retries after a 5xx, a timeout or a connection failure (4xx is final)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l concurrency -d 'Deliveries in flight at once (started in order)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l report -d 'Write each delivery\'s outcome (and envelope, never headers) as NDJSON' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l event-type -d 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array (streamed: one record per line inside it)'
ndjson\t'One JSON object per line (the default when stdout is not a terminal)'
csv\t'RFC 4180 CSV with a header row'"
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l fields -d 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l group-by -d 'Print one row per group instead of the events: `count`, `users`, `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`. Phones are normalised to E.164; events without a value group under `unknown`' -r -f -a "phone\t'The phone number, normalised to E.164'
user\t'The Okta user (login)'
actor\t'The actor (login or id)'
country\t'The country calling code'
ip\t'The client IP address'
provider\t'The SMS provider'
outcome\t'The outcome (SUCCESS, DENY, ...)'
day\t'The UTC day of `published`'
hour\t'The UTC hour of `published`'
region\t'The phone number\'s region, ISO 3166-1 alpha-2 (`US`, `JM`, ...)'
line_type\t'The phone number\'s line type (`mobile`, `premium_rate`, ...)'
prefix\t'The number range: the E.164 number without its last `--prefix-digits` digits'
valid\t'Whether the number is valid in its numbering plan (`true`/`false`)'
org\t'The org the record came from: the origin (`https://acme.okta.com`) of its `source` (`fetch` and `watch` of several orgs: the org URL; event-hook envelopes: the hook\'s URL)'"
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l sort -d 'Sort the groups by a key or column, `:asc` or `:desc` [default: count, descending]' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l top -d 'Keep only the first N groups (the largest, by default)' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l alert -d 'Alert rule, e.g. \'users-per-phone > 1\'; exit code 3 when it fires' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l findings -d 'Also write the findings to FILE (NDJSON, or JUnit XML with `--findings-format junit`)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l findings-format -d 'The `--findings` file\'s format: `ndjson` (one object per finding, written as found) or `junit` (JUnit XML for CI test-report views: one test case per rule, a failure per finding, written at the end)' -r -f -a "ndjson\t'One JSON object per finding, one per line'
junit\t'JUnit XML: one test case per rule, a failure per finding'"
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l baseline -d 'Earlier events (any input shape; repeatable) read first as the norm for `new KEY` rules: `--alert \'new region\'` fires for a send to a region these events never had' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l preset -d 'A named bundle of alert rules (repeatable; adds to `--alert`): `toll-fraud`. `--explain` lists its rules and their sources' -r -f -a "toll-fraud\t'Toll fraud (IRSF) and SMS pumping: Okta\'s top toll-fraud destinations, premium-rate/shared-cost and invalid numbers, bursts to a number range, to one phone, and of DENY outcomes'"
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l prefix-digits -d 'How many trailing digits the `prefix` key (the number range) drops' -r
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l mask -d 'Hide phone numbers (all but calling code and last two digits) and/or logins (a keyed hash, consistent within the run) in every output' -r -f -a "phones\t'Phone numbers'
users\t'Logins and user names'
all\t'Both'"
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l keep-ids -d 'Reuse the captured deliveries\' `eventId`s (events captured together are sent together) to test a receiver\'s de-duplication'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l verify -d 'First perform Okta\'s verification GET and check the echoed challenge'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l dry-run -d 'Print the deliveries (secrets redacted) instead of sending them'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -s y -l yes -d 'Do not ask before sending to a host other than this machine'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l keep-duplicates -d 'Keep every copy of an event read more than once. By default an event whose `uuid` was already read in this run (overlapping exports, a retried page, a re-delivered hook) is dropped and counted'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l wide -d 'Show more columns in the table'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l no-header -d 'Leave out the CSV header row'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l csv-safe -d 'Guard CSV against spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `\'` (E.164 phone numbers such as `+15551230067` are kept). Off by default: the default CSV bytes are exact'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l utc -d 'Show table times in UTC (the default)'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l local -d 'Show table times in the local time zone'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -l explain -d 'Print the rules of `--preset` and `--alert` with why and where each comes from, and exit without reading any input'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand replay" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "create" -d 'Create a hook for the SMS event (and --voice), printing its id'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "list" -d 'List the org\'s event hooks: id, status, verification, URL, name (tab-separated, one a line)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "verify" -d 'Ask Okta to verify a hook (the listener must be answering at its URL)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "activate" -d 'Activate a hook'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "deactivate" -d 'Deactivate a hook (Okta stops delivering to it)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "delete" -d 'Delete a hook (deactivated first)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and not __fish_seen_subcommand_from create list verify activate deactivate delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l url -d 'The https:// URL Okta delivers to (the listener\'s address and --path)' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l name -d 'The hook\'s name in Okta' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l secret-env -d 'Read the secret Okta sends with every delivery (the whole header value) from this environment variable' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l auth-header -d 'The header that carries the secret' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l voice -d 'Also subscribe to system.voice.send_phone_verification_call'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from deactivate" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a hook for the SMS event (and --voice), printing its id'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the org\'s event hooks: id, status, verification, URL, name (tab-separated, one a line)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Ask Okta to verify a hook (the listener must be answering at its URL)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Activate a hook'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "deactivate" -d 'Deactivate a hook (Okta stops delivering to it)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a hook (deactivated first)'
complete -c oksms -n "__fish_oksms_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -f -a "init" -d 'Write a profile (org, credentials) and check it with `oksms doctor`'
complete -c oksms -n "__fish_oksms_using_subcommand config; and not __fish_seen_subcommand_from init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'The profile\'s name (use it with `--profile NAME`) [default: default]' -r
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l org -d 'The Okta org URL, e.g. https://acme.okta.com' -r
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l token-file -d 'The file holding the SSWS API token (its path is stored, not the token)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l client-id -d 'The OAuth service app\'s client id' -r
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l private-key -d 'The service app\'s private key, a PEM file (its path is stored)' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l key-id -d 'The `kid` of the public key registered on the service app' -r
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l dpop -d 'Send DPoP proofs from the first token request'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l no-input -d 'Never ask, even on a terminal: every value comes from the flags'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Replace an existing profile of the same name'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -l no-check -d 'Do not run `oksms doctor` after writing the profile'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a profile (org, credentials) and check it with `oksms doctor`'
complete -c oksms -n "__fish_oksms_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l org -d 'The Okta org URL, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l token-file -d 'Read the SSWS API token from this file (tokens are never taken on the command line) [env: OKTA_CLIENT_TOKEN holds the token itself]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l client-id -d 'OAuth service app client id [env: OKTA_CLIENT_CLIENTID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l private-key -d 'The service app\'s private key, a PEM file (RSA or EC) [env: OKTA_CLIENT_PRIVATEKEY, PEM or path]' -r -F
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l key-id -d 'The `kid` of the registered public key [env: OKTA_CLIENT_PRIVATEKEYID]' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l profile -d 'Use this section of $XDG_CONFIG_HOME/oksms/config.yaml. `fetch` and `watch` (polling) take several (`--profile a,b` or the flag repeated) and audit those orgs at once; other commands take one' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l page-size -d 'Events per request (Okta\'s maximum is 1000). A `watch` checkpoint keeps the size it was started with' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l rate-budget -d 'Use at most this percentage of the org\'s rate-limit bucket, shared with every other API client; wait for the reset beyond it' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l retries -d 'Retries for 5xx answers, timeouts and dropped connections, per request (not for 429s: see --max-rate-limit-wait)' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l timeout -d 'How long one request may take before it times out: a duration (30s, 2m) or a bare number of seconds; 1s to 1h' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l max-page-size -d 'Refuse a page larger than SIZE once decompressed (KiB/MiB, 1KiB to 1024MiB) as malformed: retried, then exit 5. A page of 1000 events is about 2-5 MB' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l max-rate-limit-wait -d 'The longest one request may wait in total for rate-limit resets when Okta answers 429 (each wait lasts until the reset); then exit 5. 1s to 24h (10s, 5m, 1h)' -r
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -s o -l output -d 'Print the checks as a table or as JSON for scripts' -r -f -a "table\t'One line per check, ✓ ✗ ! -, the fix under it'
json\t'`{"checks": [{name, status, detail, fix}], "exit_code": N}`'"
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l color -d 'When to colour the table and messages' -r -f -a "auto\t'Colour when the output is a terminal and the environment allows it'
always\t''
never\t''"
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l dpop -d 'Send DPoP proofs from the first token request (otherwise used when Okta asks for them)'
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -l all-profiles -d 'Audit every profile of $XDG_CONFIG_HOME/oksms/config.yaml at once (see README "Several orgs")'
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -s v -l verbose -d 'Say more on stderr: skipped event types, each request, rate-limit state'
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -s q -l quiet -d 'Say only errors on stderr (no progress, no notes)'
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oksms -n "__fish_oksms_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "fetch" -d 'Pull the events from an Okta org\'s System Log API (/api/v1/logs)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "parse" -d 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "watch" -d 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "replay" -d 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "hook" -d 'Manage the Okta event hooks that deliver to `watch --listen` (Event Hooks API)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "config" -d 'Write a profile to oksms\'s config file (`config init`), then check it'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "doctor" -d 'Check the set-up: config, org, clock, credentials, permission, rate limit'
complete -c oksms -n "__fish_oksms_using_subcommand help; and not __fish_seen_subcommand_from fetch parse watch replay hook config doctor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "create" -d 'Create a hook for the SMS event (and --voice), printing its id'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "list" -d 'List the org\'s event hooks: id, status, verification, URL, name (tab-separated, one a line)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "verify" -d 'Ask Okta to verify a hook (the listener must be answering at its URL)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "activate" -d 'Activate a hook'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "deactivate" -d 'Deactivate a hook (Okta stops delivering to it)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "delete" -d 'Delete a hook (deactivated first)'
complete -c oksms -n "__fish_oksms_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a profile (org, credentials) and check it with `oksms doctor`'
