# bash completion for certdrill
_certdrill() {
    local cur prev words cword
    _init_completion || return
    local subcommands="study exam stats validate replay progress help"
    local global="--db --decks --seed --no-cache --help --version"
    case "$prev" in
        --db|--out) _filedir; return ;;
        --decks) _filedir -d; return ;;
        --exam|exam) COMPREPLY=($(compgen -W "cissp cism gslc issmp" -- "$cur")); return ;;
        --seed|--limit|--minutes|--new|--items|--domain) return ;;
    esac
    local sub="" i
    for ((i = 1; i < cword; i++)); do
        case "${words[i]}" in
            --db|--decks|--seed) ((i++)) ;;
            -*) ;;
            *) sub="${words[i]}"; break ;;
        esac
    done
    case "$sub" in
        "") COMPREPLY=($(compgen -W "$subcommands $global" -- "$cur")) ;;
        study) COMPREPLY=($(compgen -W "--exam --domain --limit --minutes --new --plain --help" -- "$cur")) ;;
        exam) COMPREPLY=($(compgen -W "--items --minutes --plain --help cissp cism gslc issmp" -- "$cur")) ;;
        stats) COMPREPLY=($(compgen -W "--exam --json --help" -- "$cur")) ;;
        validate|replay) _filedir ;;
        progress)
            if [[ " ${words[*]} " == *" export "* ]]; then COMPREPLY=($(compgen -W "--out" -- "$cur"))
            elif [[ " ${words[*]} " == *" import "* ]]; then _filedir
            else COMPREPLY=($(compgen -W "export import" -- "$cur")); fi ;;
        help) COMPREPLY=($(compgen -W "$subcommands" -- "$cur")) ;;
    esac
}
complete -F _certdrill certdrill
