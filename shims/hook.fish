# pip-guard's prompt hook @VERSION@ (pip-guard init fish --activate): at each prompt and each
# change of directory, the venv of the project you are in is active, and none outside a
# project; a venv or conda environment that somebody else activated is left alone until it is
# deactivated. Only a venv that pip-guard has vetted for the project (it ran pip there, or
# `pip-guard activate`, `run`: src/run/project-records.ts left its record) is activated: a cloned
# repository's own .venv could put any program first on PATH. Built-ins only, no process.
# The default venv outside any project, when your config's venv.activateDefault asks for it.
set -g _pip_guard_default @DEFAULT_VENV@

# Where pip-guard leaves its records (XDG says a relative value is to be ignored).
function _pip_guard_records
    set -g _pip_guard_state $XDG_STATE_HOME
    string match -q '/*' -- "$_pip_guard_state"; or set _pip_guard_state $HOME/.local/state
    set _pip_guard_state $_pip_guard_state/pip-guard/projects
end

# Sets _pip_guard_record to pip-guard's record for directory $argv[1], at its own path under the
# state directory's projects/ (src/facts/records.ts).
function _pip_guard_record_of
    set -g _pip_guard_record $_pip_guard_state$argv[1]/@RECORD@
end

# Whether $argv[1] names pip-guard at all (package.json); unreadable counts as yes.
function _pip_guard_mentions
    test -e $argv[1]; or return 1
    test -r $argv[1]; or return 0
    string match -q '*pip-guard*' <$argv[1]
end

# Whether directory $argv[1] is a project root (facts/project.ts's isProjectRoot); $argv[2] is HOME.
function _pip_guard_is_root
    set -l dir $argv[1]
    for name in pyproject.toml setup.py setup.cfg
        test -e $dir/$name; and return 0
    end
    if test "$dir" != "$argv[2]"
        test -e $dir/.git; and return 0
        for name in .pip-guardrc .pip-guardrc.json .pip-guardrc.yaml .pip-guardrc.yml .pip-guardrc.toml \
            pip-guard.config.js pip-guard.config.cjs pip-guard.config.mjs
            test -e $dir/$name; and return 0
        end
        _pip_guard_mentions $dir/package.json; and return 0
    end
    test -e $dir/.venv/pyvenv.cfg; or test -e $dir/venv/pyvenv.cfg; and return 0
    for file in $dir/requirements*.txt
        test -e $file; and return 0
    end
    return 1
end

# Whether the answer for this PWD still holds: no record of pip-guard's has appeared at or
# above PWD below the root found (a project pip-guard just made a venv for is nearer), and that
# root is one still. Only stats.
function _pip_guard_still_root
    test "$PWD" = "$_pip_guard_root_of"; and test "$_pip_guard_state" = "$_pip_guard_state_of"; or return 1
    for record in $_pip_guard_nearer
        test -e $record; and return 1
    end
    test -z "$_pip_guard_root"; or _pip_guard_is_root $_pip_guard_root $argv[1]
end

# Sets _pip_guard_root to the project around PWD: the nearest root at or above it, never above
# HOME and never / (facts/project.ts's findProjectRoot); found once per directory.
function _pip_guard_find_root
    set -l dir $PWD
    set -l home $HOME
    string match -q -- '*/' $HOME; and set home (string replace -r '/$' '' -- $HOME)
    set -l ceiling
    string match -q -- "$home/*" "$dir/"; and set ceiling $home
    _pip_guard_still_root $home; and return
    set -g _pip_guard_root_of $dir
    set -g _pip_guard_state_of $_pip_guard_state
    set -g _pip_guard_root
    set -g _pip_guard_nearer
    while test -n "$dir"; and test "$dir" != /
        _pip_guard_record_of $dir
        if _pip_guard_is_root $dir $home
            set _pip_guard_root $dir
            set -g _pip_guard_root_record $_pip_guard_record
            return
        end
        set -a _pip_guard_nearer $_pip_guard_record
        test "$dir" = "$ceiling"; and return
        set dir (string replace -r '/[^/]*$' '' -- $dir)
    end
end

function _pip_guard_is_venv
    test -d $argv[1]; and test -f $argv[1]/pyvenv.cfg; and test -x $argv[1]/bin/python
end

# Sets _pip_guard_target to the venv pip-guard vetted for the project found, if it is there: the
# venv field of its record, which is data (src/facts/records.ts: "NAME COUNT", then COUNT lines).
function _pip_guard_venv_of
    set -g _pip_guard_target
    set -l record $_pip_guard_root_record
    test -f $record; and test -O $record; or return 0
    # Its lines, without a command substitution: each costs fish more than all the rest of a
    # prompt's work (as do `count` and `math` in one, hence set -q below).
    set -l lines
    read -z -d \n -a lines <$record
    test "$lines[-1]" = ''; and set -e lines[-1]
    test "$lines[1]" = '@HEADER@'; or return 0
    set -l venv
    set -l at 2
    # The record as pip-guard writes it for a plain path (venv, then version, a line each).
    if set -q lines[5]; and not set -q lines[6]; and test "$lines[2]" = 'venv 1'; and string match -qr '^[a-z]+ 1$' -- $lines[4]
        set venv $lines[3]
        set at 6
    end
    while set -q lines[$at]
        set -l field (string split -m 1 ' ' -- $lines[$at])
        string match -qr '^[0-9]+$' -- "$field[2]"; or return 0
        set -l last (math $at + $field[2])
        test $last -le (count $lines); or return 0
        test "$field[1]" = venv; and set venv (string join \n -- $lines[(math $at + 1)..$last] | string collect)
        set at (math $last + 1)
    end
    test -n "$venv"; and _pip_guard_is_venv $venv; and set _pip_guard_target $venv
    return 0
end

# What pip-guard's activation left in somebody else's activate.fish (their saved PATH and
# prompt): cleared once theirs is gone, unless it is what is to be active now ($argv[1]).
function _pip_guard_clear_stale
    set -q _pip_guard_stale; or return 0
    if test "$_pip_guard_stale" != "$argv[1]"
        _pip_guard_path_without $_pip_guard_stale/bin
        _pip_guard_hide_prompt
    end
    set -e _pip_guard_stale
end

# A venv or conda environment somebody else activated: pip-guard's own activation steps back,
# and theirs stays.
function _pip_guard_release
    set -g _pip_guard_stale $_PIP_GUARD_VENV
    set -e _pip_guard_deactivate
    set -e _pip_guard_prefix
    _pip_guard_off
end

# Somebody else's environment, as pip-guard itself would take it (facts/project.ts's locateVenv): a
# venv they activated (VIRTUAL_ENV that pip-guard's hook did not set, or theirs over it, which
# saves _OLD_VIRTUAL_PATH) that is still there, or a conda environment with a Python.
function _pip_guard_foreign
    if test -n "$VIRTUAL_ENV"; and begin
            test "$VIRTUAL_ENV" != "$_PIP_GUARD_AUTO"; or set -q _OLD_VIRTUAL_PATH
        end
        test -f $VIRTUAL_ENV/pyvenv.cfg; and test -e $VIRTUAL_ENV/bin/python; and return 0
    end
    test -n "$CONDA_PREFIX"; and test -d $CONDA_PREFIX/conda-meta; and test -e $CONDA_PREFIX/bin/python
end

function _pip_guard_sync
    set -l auto $_PIP_GUARD_AUTO
    if _pip_guard_foreign
        test -n "$auto"; and _pip_guard_release
        return
    end
    _pip_guard_records
    _pip_guard_find_root
    set -l root $_pip_guard_root
    test -n "$root"; or set root -
    # `deactivate` typed in a project keeps its venv off until you leave the project.
    set -q _PIP_GUARD_OFF; and test "$_PIP_GUARD_OFF" != "$root"; and set -e _PIP_GUARD_OFF
    set -g _pip_guard_target
    if set -q _PIP_GUARD_OFF
    else if test -n "$_pip_guard_root"
        _pip_guard_venv_of
    else if test -n "$_pip_guard_default"; and _pip_guard_is_venv $_pip_guard_default
        set _pip_guard_target $_pip_guard_default
    end
    if test -n "$auto"; and test "$_pip_guard_target" = "$auto"; and test "$VIRTUAL_ENV" = "$auto"; and contains -- $auto/bin $PATH
        # Active already: shown in this shell's prompt too (a new shell inherits it).
        if not set -q _pip_guard_prefix; or not functions -q _pip_guard_fish_prompt
            _pip_guard_prompt_of $auto
            _pip_guard_show_prompt
        end
        set -g _pip_guard_auto_root $root
        return
    end
    test -n "$auto"; and _pip_guard_off
    _pip_guard_clear_stale "$_pip_guard_target"
    if test -n "$_pip_guard_target"
        _pip_guard_on $_pip_guard_target
        set -gx _PIP_GUARD_AUTO $_pip_guard_target
        set -g _pip_guard_auto_root $root
    end
end

# pipx's bin directory on PATH once it exists, as `pipx ensurepath` would add it.
function _pip_guard_pipx_path
    set -l bin $PIPX_BIN_DIR
    test -n "$bin"; or set bin $HOME/.local/bin
    string match -q '/*' -- $bin; or return 0
    contains -- $bin $PATH; and return 0
    test -d $bin; and set -gx PATH $PATH $bin
    return 0
end

# The shell's mark says the hook runs here (shell-functions.ts): set by the hook itself.
function _pip_guard_hook --on-event fish_prompt --on-variable PWD
    set -l last $status
    _pip_guard_sync
    _pip_guard_pipx_path
    set -gx _PIP_GUARD_INIT $_pip_guard_mark
    _pip_guard_restatus $last
end
