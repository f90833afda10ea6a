# SPDX-License-Identifier: GPL-2.0-only
# bash completion for carveout-cli, carveout and carveout-capture. Installed three times, as
# /usr/share/bash-completion/completions/{carveout-cli,carveout,carveout-capture} (bash-completion
# loads the file named after the command); it can also be sourced by hand. The options follow
# each program's --help (tests/package/tst_completion.sh checks they agree); profile names and
# rule ids come from the carveout-cli being completed ('profiles', 'rules'), once per shell.

# Files of the given extensions (a pattern such as '@(dts|dtb)'), and folders to walk into.
_carveout_files()
{
    if declare -F _filedir >/dev/null; then
        _filedir "${1:-}"
    else
        local IFS=$'\n' f
        COMPREPLY=()
        for f in $(compgen -f -- "$cur"); do
            if [[ -d $f ]]; then
                COMPREPLY+=("$f/")
            elif [[ -z ${1:-} || $f == *.$1 ]]; then
                COMPREPLY+=("$f")
            fi
        done
        [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
    fi
}

_carveout_dirs()
{
    if declare -F _filedir >/dev/null; then
        _filedir -d
    else
        local IFS=$'\n'
        COMPREPLY=($(compgen -d -S / -- "$cur"))
        compopt -o nospace 2>/dev/null
    fi
}

# The first column of 'carveout-cli profiles' / 'carveout-cli rules' (rows start at column 0,
# their details are indented), asked of the program being completed, cached per program.
_carveout_catalogue()
{
    local program=$1 what=$2 key
    key=_carveout_${what}_$(printf '%s' "$program" | cksum | cut -d' ' -f1)
    if [[ -z ${!key+set} ]]; then
        printf -v "$key" '%s' "$("$program" "$what" 2>/dev/null | awk '/^[^ ]/ && $1 != "NAME" { print $1 }')"
    fi
    printf '%s\n' "${!key}"
}

_carveout_cli()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} program=${COMP_WORDS[0]}
    local commands='layout check edit export render workload simulate diff matrix compare profiles rules'
    local with_value='-I --profile --kernel --arch --page-size --cmdline --config --reserve --memory --overlay --overlay-runtime --timeout
        --boot --efi-map --uboot-env --load
        --format -W -E --script --out-dir -o --view --size --from-trace --workload --min-size --ops --bins --capture --kconfig -j
        --profile-b --kernel-b --arch-b --page-size-b --cmdline-b --config-b --memory-b --reserve-b --kconfig-b'
    COMPREPLY=()

    # The command and whether FILE is given: the words before the cursor, less options and their values.
    local command='' file='' i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ " ${with_value//$'\n'/ } " == *" $w "* ]]; then
            ((i++))
        elif [[ $w != -* ]]; then
            if [[ -z $command ]]; then command=$w; else file=$w; fi
        fi
    done

    case $prev in
    -I | --out-dir)
        _carveout_dirs
        return ;;
    --profile | --profile-b)
        COMPREPLY=($(compgen -W "$(_carveout_catalogue "$program" profiles)" -- "$cur"))
        return ;;
    --kernel | --kernel-b)
        COMPREPLY=($(compgen -W "$(_carveout_catalogue "$program" profiles | sed -n 's/^linux-\([0-9.]*\)-.*/\1/p' | sort -uV)" -- "$cur"))
        return ;;
    --arch | --arch-b)
        COMPREPLY=($(compgen -W 'arm64 arm riscv' -- "$cur"))
        return ;;
    --page-size | --page-size-b)
        COMPREPLY=($(compgen -W '4K 16K 64K' -- "$cur"))
        return ;;
    --config | --config-b)
        COMPREPLY=($(compgen -W 'CMA= DMA_CMA= CMA_AREAS= DMA_RESTRICTED_POOL= DMA_GLOBAL_POOL= DMA_DECLARE_COHERENT= HUGETLB_PAGE=
            TRANSPARENT_HUGEPAGE= ARCH_FORCE_MAX_ORDER= NUMA= CMA_SIZE_MBYTES= CMA_ALIGNMENT= ARM_LPAE=' -- "$cur"))
        compopt -o nospace 2>/dev/null
        return ;;
    --format)
        local formats='text json'
        [[ $command == check ]] && formats+=' sarif codequality'
        [[ $command == matrix ]] && formats+=' csv html'
        [[ $command == edit || $command == export ]] && formats=''
        COMPREPLY=($(compgen -W "$formats" -- "$cur"))
        return ;;
    -W)
        local rules
        rules=$(_carveout_catalogue "$program" rules)
        COMPREPLY=($(compgen -W "$rules $(printf 'no-%s\n' $rules)" -- "$cur"))
        return ;;
    -E)
        COMPREPLY=($(compgen -W "$(_carveout_catalogue "$program" rules)" -- "$cur"))
        return ;;
    --script | --workload)
        _carveout_files json
        return ;;
    --overlay | --overlay-runtime)
        _carveout_files '@(dtso|dtbo)'
        return ;;
    -o)
        case $command in
        render) _carveout_files '@(svg|png)' ;;
        workload) _carveout_files json ;;
        *) _carveout_files dtb ;;
        esac
        return ;;
    --view)
        COMPREPLY=($(compgen -W 'map diagram' -- "$cur"))
        return ;;
    --size)
        return ;;
    --boot)
        COMPREPLY=($(compgen -W 'dt efi' -- "$cur"))
        return ;;
    --capture | --kconfig | --kconfig-b | --from-trace | --efi-map | --uboot-env)
        _carveout_files
        return ;;
    --ops)
        COMPREPLY=($(compgen -W 'all failures none' -- "$cur"))
        return ;;
    --min-size)
        COMPREPLY=($(compgen -W 'default' -- "$cur"))
        return ;;
    --cmdline | --reserve | --memory | --timeout | --bins | -j | --cmdline-b | --reserve-b | --memory-b | --load)
        return ;;
    esac

    local common='-I --profile --kernel --arch --page-size --cmdline --config --kconfig --reserve --memory --overlay --overlay-runtime --timeout -j
        --boot --efi-map --uboot-env --load'
    local options
    case $command in
    '') options='-h --help --version' ;;
    layout) options="$common --format" ;;
    check) options="$common --format -W -E" ;;
    edit) options="$common --script --out-dir --in-place --diff --patch-shared" ;;
    export) options="$common -o --force" ;;
    render) options="$common -o --view --size" ;;
    workload) options='--from-trace -o' ;;
    simulate) options="$common --format --workload --min-size --ops --bins" ;;
    compare) options="$common --format --capture" ;;
    diff) options="$common --format --profile-b --kernel-b --arch-b --page-size-b --cmdline-b --config-b --memory-b
        --reserve-b --kconfig-b" ;;
    matrix) options="$common --format" ;;
    profiles | rules) options='--format' ;;
    esac
    if [[ $cur == -* ]]; then
        [[ -n $command ]] && options+=' -h --help --version'
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    elif [[ -z $file && $command != profiles && $command != rules ]]; then
        _carveout_files '@(dts|dtb|dtbo)'
    fi
}

_carveout()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    case $prev in
    --screenshot) _carveout_files png; return ;;
    --render) _carveout_files '@(svg|png)'; return ;;
    --view) COMPREPLY=($(compgen -W 'map diagram' -- "$cur")); return ;;
    -I) _carveout_dirs; return ;;
    --profile) COMPREPLY=($(compgen -W "$(_carveout_catalogue carveout-cli profiles)" -- "$cur")); return ;;
    --arch) COMPREPLY=($(compgen -W 'arm64 arm riscv' -- "$cur")); return ;;
    --page-size) COMPREPLY=($(compgen -W '4K 16K 64K' -- "$cur")); return ;;
    --kconfig | --efi-map | --uboot-env) _carveout_files; return ;;
    --overlay | --overlay-runtime) _carveout_files '@(dtso|dtbo)'; return ;;
    --boot) COMPREPLY=($(compgen -W 'dt efi' -- "$cur")); return ;;
    --size | --kernel | --cmdline | --config | --memory | --reserve | --load) return ;;
    --workload) _carveout_files json; return ;;
    --capture) _carveout_files; return ;;
    --palette) COMPREPLY=($(compgen -W 'dark system' -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--screenshot --palette --workload --capture --render --view --size -I --profile --kernel --arch
            --page-size --cmdline --config --kconfig --memory --reserve --overlay --overlay-runtime --boot --efi-map
            --uboot-env --load -h --help --version' -- "$cur"))
    else
        _carveout_files '@(dts|dtb|dtbo)'
    fi
}

_carveout_capture()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    if [[ $prev == -o ]]; then
        _carveout_files
    elif [[ $prev == --trace ]]; then
        return
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '-o --output= -q --quiet --trace -h --help --version' -- "$cur"))
        [[ ${COMPREPLY[0]} == --output= ]] && compopt -o nospace 2>/dev/null
    fi
}

complete -F _carveout_cli carveout-cli
complete -F _carveout carveout
complete -F _carveout_capture carveout-capture
