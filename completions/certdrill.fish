# fish completion for certdrill
set -l subcommands study exam stats validate replay progress help
complete -c certdrill -f
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -l db -r -F -d 'progress database'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -l decks -r -a '(__fish_complete_directories)' -d 'extra deck directory'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -l seed -r -d 'random seed'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -l no-cache -d 'read every deck file, not the cache'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -l version -d 'show version'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a study -d 'study due, learning and new cards'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a exam -d 'take a timed mock exam'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a stats -d 'readiness and mastery'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a validate -d 'check decks and blueprints'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a replay -d 'replay FSRS histories'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a progress -d 'export or import progress'
complete -c certdrill -n "not __fish_seen_subcommand_from $subcommands" -a help -d 'help on a subcommand'
complete -c certdrill -n "__fish_seen_subcommand_from study stats" -l exam -r -a 'cissp cism gslc issmp' -d 'exam id'
complete -c certdrill -n "__fish_seen_subcommand_from study" -l domain -r -d 'domain id'
complete -c certdrill -n "__fish_seen_subcommand_from study" -l limit -r -d 'number of answers'
complete -c certdrill -n "__fish_seen_subcommand_from study exam" -l minutes -r -d 'minutes'
complete -c certdrill -n "__fish_seen_subcommand_from study" -l new -r -d 'new cards per day'
complete -c certdrill -n "__fish_seen_subcommand_from study exam" -l plain -d 'line-by-line mode'
complete -c certdrill -n "__fish_seen_subcommand_from exam" -a 'cissp cism gslc issmp' -d 'exam id'
complete -c certdrill -n "__fish_seen_subcommand_from exam" -l items -r -d 'number of items'
complete -c certdrill -n "__fish_seen_subcommand_from stats" -l json -d 'JSON output'
complete -c certdrill -n "__fish_seen_subcommand_from validate replay" -F
complete -c certdrill -n "__fish_seen_subcommand_from progress; and not __fish_seen_subcommand_from export import" -a 'export import'
complete -c certdrill -n "__fish_seen_subcommand_from export" -l out -r -F -d 'output file'
complete -c certdrill -n "__fish_seen_subcommand_from import" -F
complete -c certdrill -n "__fish_seen_subcommand_from help" -a "$subcommands"
