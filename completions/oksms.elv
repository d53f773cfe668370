
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
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oksms;fetch'= {
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --color 'When to colour the table and messages'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
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
            cand --color 'When to colour the table and messages'
            cand --strict 'Stop at the first malformed record instead of skipping it'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
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
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --color 'When to colour the table and messages'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
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
            cand --event-type 'Keep these event types instead of `system.sms.send_phone_verification_message` (repeatable, or comma-separated; `all` keeps every type), for example `system.voice.send_phone_verification_call`'
            cand -o 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: table on a terminal, ndjson otherwise]'
            cand --fields 'Fields to show, in order, comma-separated: JSON keys (`actor`), dotted sub-fields (`actor.alternate_id`) or CSV column names (`actor_alternate_id`). `event_details`, `headers` and `debug_data` add the raw JSON'
            cand --color 'When to colour the table and messages'
            cand --wide 'Show more columns in the table'
            cand --no-header 'Leave out the CSV header row'
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
        &'oksms;help'= {
            cand fetch 'Pull the events from an Okta org''s System Log API (/api/v1/logs)'
            cand parse 'Read exports, NDJSON, event-hook deliveries and captures from files or stdin'
            cand watch 'Follow the System Log live with a durable checkpoint, or receive Okta event hooks'
            cand replay 'Re-deliver captured events to an event-hook endpoint, or re-play them in time order'
            cand generate 'Write the shell completions and man pages (for maintainers)'
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
        &'oksms;help;help'= {
        }
    ]
    $completions[$command]
}
